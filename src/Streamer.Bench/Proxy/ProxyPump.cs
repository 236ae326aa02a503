using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Streamer.Bench.Proxy;

/// <summary>
/// One direction of a proxied connection: a reader that stamps each chunk's arrival and release time (from the
/// <see cref="ConditionSchedule"/>) into a bounded delay line, and a writer that sends each chunk at its release time.
/// Chunks are pooled buffers handed from reader to writer: nothing is allocated per chunk.
/// </summary>
internal sealed class ProxyPump : IDisposable
{
    /// <summary>Chunks in flight per direction: with 16 KiB chunks at most 4 MiB, reached only by a bulk sender behind a slow rate.</summary>
    private const int LineCapacity = 256;

    private const int ChunkBytes = 16 * 1024;

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    // Under a rate limit a chunk is at most one Ethernet MSS, so serialization is spread the way a link spreads it
    // instead of one 16 KiB lump per read.
    private const int RateLimitedChunkBytes = 1448;

    private readonly Socket from;
    private readonly Socket to;
    private readonly NetworkConditions conditions;
    private readonly ConditionSchedule schedule;
    private readonly TimeProvider time;
    private readonly long opened;
    private readonly Channel<Chunk> line;
    private readonly ReusableDelay delay;
    private readonly Action<int> received;
    private readonly int chunkBytes;
    private readonly AppliedDelays applied = new();
    private readonly AppliedDelays scheduled = new();
    private long offset;
    private long sent;

    public ProxyPump(Socket from, Socket to, NetworkConditions conditions, int seed, TimeProvider time, long opened, Action<int> received)
    {
        this.from = from;
        this.to = to;
        this.conditions = conditions;
        this.time = time;
        this.opened = opened;
        this.received = received;
        schedule = new ConditionSchedule(conditions, seed);
        line = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(LineCapacity) { SingleReader = true, SingleWriter = true });
        delay = new ReusableDelay(time);
        chunkBytes = conditions.RateBitsPerSecond > 0 ? RateLimitedChunkBytes : ChunkBytes;
    }

    /// <summary>Bytes read from the source so far.</summary>
    public long Received => Interlocked.Read(ref offset);

    /// <summary>Bytes written to the destination so far.</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>
    /// The delay this direction actually applied to each chunk: from its arrival (read from the source) to its send
    /// to the destination, the schedule plus how late the writer woke. Read once the pump is done.
    /// </summary>
    public AppliedDelays Applied => applied;

    /// <summary>The delay the schedule gave each chunk (release − arrival): what <see cref="Applied"/> would be on a machine that woke on time.</summary>
    public AppliedDelays Scheduled => scheduled;

    /// <summary>Reads until the source ends (then the writer half-closes the destination once the line drains).</summary>
    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
                int n;
                try
                {
                    n = await from.ReceiveAsync(buffer.AsMemory(0, chunkBytes), SocketFlags.None);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                var arrival = time.GetElapsedTime(opened);
                ByteCorrupter.Apply(buffer.AsSpan(0, n), offset, conditions.CorruptEvery);
                Interlocked.Add(ref offset, n);
                received(n);
                var chunk = new Chunk(buffer, n, arrival, schedule.Release(arrival, n));
                scheduled.Record((chunk.Release - arrival).Ticks / TimeSpan.TicksPerMicrosecond);
                if (!line.Writer.TryWrite(chunk))
                {
                    try
                    {
                        await line.Writer.WriteAsync(chunk, cancellationToken);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                }
            }

            line.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            line.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>Sends each chunk at its release time; when the reader is done and the line is empty, half-closes the destination.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        var reader = line.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var chunk))
            {
                try
                {
                    var wait = chunk.Release - time.GetElapsedTime(opened);
                    while (wait > TimeSpan.Zero)
                    {
                        // The system's timers count whole milliseconds and may fire up to one early: wait again for
                        // what is left (at least a millisecond), so a chunk never leaves before its release time.
                        await delay.WaitAsync(wait < MinimumWait ? MinimumWait : wait);
                        cancellationToken.ThrowIfCancellationRequested();
                        wait = chunk.Release - time.GetElapsedTime(opened);
                    }

                    // Applied: arrival to the moment the chunk goes to the kernel (a send to a connected socket
                    // copies and returns); the send's own completion would add this task's wake-up, which the bytes
                    // never waited for.
                    applied.Record((time.GetElapsedTime(opened) - chunk.Arrival).Ticks / TimeSpan.TicksPerMicrosecond);
                    int done = 0;
                    while (done < chunk.Length)
                    {
                        done += await to.SendAsync(chunk.Buffer.AsMemory(done, chunk.Length - done), SocketFlags.None);
                    }

                    Interlocked.Add(ref sent, chunk.Length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }
        }

        to.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Wakes a writer waiting for a release time (the connection is being torn down).</summary>
    public void Abort()
    {
        line.Writer.TryComplete();
        delay.Cancel();
    }

    public void Dispose()
    {
        delay.Dispose();
        while (line.Reader.TryRead(out var chunk))
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, TimeSpan Arrival, TimeSpan Release);
}
