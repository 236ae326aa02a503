namespace Streamer.Media.Sources.Live;

/// <summary>How a live input read from a pipe is held to real time (see <see cref="RealTimePacer"/>).</summary>
/// <param name="RealTime">Hold delivery to real time plus <paramref name="Lead"/>; false: as fast as the writer writes (tests, bulk).</param>
/// <param name="Lead">How far ahead of real time delivery may run.</param>
/// <param name="Clock">The clock (null: the system's).</param>
public sealed record InputPacing(bool RealTime, TimeSpan Lead, TimeProvider? Clock = null)
{
    /// <summary>Real time, 200 ms lead, the system clock.</summary>
    public static InputPacing Live { get; } = new(true, RealTimePacer.DefaultLead);

    /// <summary>As fast as the writer writes.</summary>
    public static InputPacing Unpaced { get; } = new(false, TimeSpan.Zero);
}
