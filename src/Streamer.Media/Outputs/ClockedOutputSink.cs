using System.Buffers;
using Streamer.Media.Playout;

namespace Streamer.Media.Outputs;

/// <summary>
/// Puts decoded PCM into a jitter buffer that a clocked output (a sound card, paced null) plays from on its own
/// thread, and owns that output's run: started here, played out on completion, stopped on cancellation, disposed
/// with the sink. An output that fails (device gone) calls <c>fail</c>, so the receive loop stops instead of waiting
/// for buffer space nobody will free.
/// </summary>
public sealed class ClockedOutputSink : IPcmOutputSink
{
    private readonly IClockedOutput _output;
    private readonly JitterBuffer _buffer;
    private readonly CancellationToken _cancellation;
    private readonly Task _playing;
    private readonly CancellationTokenRegistration _wakeOnCancel;
    private bool _finished;

    /// <param name="output">The output; this sink disposes it.</param>
    /// <param name="buffer">The jitter buffer it plays from.</param>
    /// <param name="fail">Called once, on the output's thread, when the output fails.</param>
    /// <param name="cancellation">The stream's cancellation (Ctrl+C): stops the output at once instead of playing out.</param>
    public ClockedOutputSink(IClockedOutput output, JitterBuffer buffer, Action<Exception> fail, CancellationToken cancellation)
    {
        _output = output;
        _buffer = buffer;
        _cancellation = cancellation;
        _playing = output.RunAsync(buffer, cancellation);
        // On cancellation the output stops reading: a producer waiting for space in a full buffer (a stream that
        // arrives in bursts, as HTTP pages do) must wake to see it, or it would wait for ever.
        _wakeOnCancel = cancellation.UnsafeRegister(static state => ((JitterBuffer)state!).Wake(), buffer);
        _ = _playing.ContinueWith(
            static (task, state) =>
            {
                var (fail, buffer) = ((Action<Exception>, JitterBuffer))state!;
                fail(task.Exception!.InnerException ?? task.Exception);
                buffer.Wake();
            },
            (fail, buffer),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public string Description => _output.Description;

    /// <summary>The buffer the output plays from (depth, target and drift for the status line).</summary>
    public JitterBuffer Buffer => _buffer;

    /// <inheritdoc/>
    public bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs) => _buffer.TryWrite(pcm, sendTimeUs);

    /// <summary>Writes one frame of PCM with its stamp; false when the buffer has no room.</summary>
    public bool TryWrite(in ReadOnlySequence<byte> pcm, in FrameStamp stamp) => _buffer.TryWrite(pcm, stamp);

    /// <inheritdoc/>
    public ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken) => _buffer.WaitForSpaceAsync(bytes, cancellationToken);

    /// <summary>Lets the output play what is buffered, to the end.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await PlayOutAsync();
    }

    /// <summary>
    /// After a failure the buffered audio still plays out (a lost server leaves the last moments audible); on
    /// cancellation the output has already stopped. Then the output is finalized (device closed).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await PlayOutAsync();
        }
        finally
        {
            _wakeOnCancel.Dispose();
            await _output.DisposeAsync();
        }
    }

    private async ValueTask PlayOutAsync()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _buffer.Complete();
        if (_cancellation.IsCancellationRequested)
        {
            _buffer.Wake();
        }

        try
        {
            await _playing;
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException ex)
        {
            throw new IOException($"{_output.Description}: {ex.Message}", ex);
        }
    }
}
