using System.Globalization;

namespace Streamer.Protocol;

/// <summary>
/// The slowest a peer may send a frame it has started, after Kestrel's <c>MinRequestBodyDataRate</c>: once the
/// first byte of a frame is in, the frame must be complete by <see cref="Grace"/>, or later if its bytes so far
/// have kept up with <see cref="BytesPerSecond"/> on average. A peer trickling a byte a second holds a connection
/// (and its buffers) for no more than the grace period, while a frame on a slow link still gets through.
/// </summary>
/// <param name="BytesPerSecond">The lowest average rate, from the frame's first byte. Default 240 B/s.</param>
/// <param name="Grace">Time any frame gets however slowly it comes. Default 5 s.</param>
/// <remarks>
/// The risk is a legitimate peer on a link slower than the rate, or one stalled for longer than the grace period
/// in the middle of a frame (a long retransmission timeout): it is dropped. Frames from clients are small control
/// frames (a hello, pings), so 240 B/s is a generous floor; raise the grace before lowering the rate.
/// </remarks>
public sealed record MinDataRate(double BytesPerSecond, TimeSpan Grace)
{
    /// <summary>240 B/s after a 5 s grace period.</summary>
    public static MinDataRate Default { get; } = new(240, TimeSpan.FromSeconds(5));

    /// <summary>How long after its first byte a frame of which <paramref name="received"/> bytes are in may stay incomplete.</summary>
    public TimeSpan Allowed(long received)
    {
        var byRate = TimeSpan.FromSeconds(received / BytesPerSecond);
        return byRate > Grace ? byRate : Grace;
    }

    /// <summary>The rate for logs and messages, for example "240 B/s after 5 s".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{BytesPerSecond:0.#} B/s after {Grace.TotalSeconds:0.#} s");
}
