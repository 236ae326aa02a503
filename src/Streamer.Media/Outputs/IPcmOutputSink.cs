using Streamer.Media.Playout;

namespace Streamer.Media.Outputs;

/// <summary>
/// The end of a decoding sink chain: takes the decoder's PCM (<see cref="IPcmSink"/>) and owns the output behind it,
/// straight (<see cref="UnclockedOutputSink"/>) or through a jitter buffer a clocked output plays from
/// (<see cref="ClockedOutputSink"/>).
/// </summary>
public interface IPcmOutputSink : IPcmSink, IAsyncDisposable
{
    /// <summary>For messages: the output's description ("out.wav", "default device").</summary>
    string Description { get; }

    /// <summary>No more PCM will come: completes once the output has delivered what it holds.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
