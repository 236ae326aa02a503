using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Tests.Support;

/// <summary>
/// A connection decorator that loses or delays whole audio frames on their way out, as a bad network would after
/// reassembly: what the application writes is parsed back into frames, and a frame the policy drops never reaches
/// the inner connection. Control frames always pass. Everything else (input, abort, end points) is the inner
/// connection's, so the session under test runs unchanged over any transport.
/// </summary>
internal sealed class LossyConnection : IConnection
{
    private readonly IConnection _inner;
    private readonly LossPolicy _policy;
    private readonly Pipe _written = new(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
    private readonly Task _pump;
    private int _disposed;

    public LossyConnection(IConnection inner, LossPolicy policy)
    {
        _inner = inner;
        _policy = policy;
        _pump = Task.Run(PumpAsync);
    }

    public PipeReader Input => _inner.Input;

    public PipeWriter Output => _written.Writer;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public void Abort() => _inner.Abort();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _written.Writer.CompleteAsync();
        await _pump;
        await _inner.DisposeAsync();
    }

    private async Task PumpAsync()
    {
        var reader = _written.Reader;
        var output = _inner.Output;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (true)
                {
                    var start = buffer;
                    if (FrameParser.TryRead(ref buffer, long.MaxValue, out var frame, out _) != FrameReadStatus.Frame)
                    {
                        break;
                    }

                    if (frame.Header.Kind == FrameKind.Audio)
                    {
                        if (_policy.Drops(frame.Header.Sequence))
                        {
                            continue;
                        }

                        if (_policy.NextDelay() is { } delay && delay > TimeSpan.Zero)
                        {
                            await output.FlushAsync();
                            await Task.Delay(delay);
                        }
                    }

                    foreach (var segment in start.Slice(0, buffer.Start))
                    {
                        output.Write(segment.Span);
                    }
                }

                reader.AdvanceTo(buffer.Start, result.Buffer.End);
                var flush = await output.FlushAsync();
                if (result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}

/// <summary>Which audio frames a <see cref="LossyConnection"/> loses (chosen sequences, or a seeded random share) and
/// how long it holds the others back (a seeded random delay up to a bound). Seeded: every run loses the same frames.</summary>
internal sealed class LossPolicy
{
    private readonly IReadOnlySet<uint> _drop;
    private readonly double _lossRate;
    private readonly TimeSpan _maxDelay;
    private readonly Random _random;

    public LossPolicy(IReadOnlySet<uint>? drop = null, double lossRate = 0, TimeSpan maxDelay = default, int seed = 1)
    {
        _drop = drop ?? new HashSet<uint>();
        _lossRate = lossRate;
        _maxDelay = maxDelay;
        _random = new Random(seed);
    }

    /// <summary>Sequences lost so far, in order.</summary>
    public List<uint> Dropped { get; } = [];

    public bool Drops(uint sequence)
    {
        bool drop = _drop.Contains(sequence) || (_lossRate > 0 && _random.NextDouble() < _lossRate);
        if (drop)
        {
            Dropped.Add(sequence);
        }

        return drop;
    }

    public TimeSpan? NextDelay() => _maxDelay > TimeSpan.Zero ? _maxDelay * _random.NextDouble() : null;
}

/// <summary>Wraps every connection a listener accepts in a <see cref="LossyConnection"/> sharing one policy.</summary>
internal sealed class LossyListener(IConnectionListener inner, LossPolicy policy) : IConnectionListener
{
    public EndPoint EndPoint => inner.EndPoint;

    public async ValueTask<IConnection?> AcceptAsync(CancellationToken cancellationToken = default)
        => await inner.AcceptAsync(cancellationToken) is { } connection ? new LossyConnection(connection, policy) : null;

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
