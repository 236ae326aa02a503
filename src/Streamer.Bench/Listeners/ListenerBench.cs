using System.Diagnostics;
using HdrHistogram;

namespace Streamer.Bench.Listeners;

/// <summary>
/// Holds N listeners of one server in this process (asynchronous sockets, no thread per connection, buffers only
/// while bytes wait) and measures them: connect them all (a bounded number at a time), then count for the window,
/// sampling the server's CPU and RSS from /proc around it.
/// </summary>
public static class ListenerBench
{
    /// <inheritdoc/>
    public static async Task<ListenerBenchResult> RunAsync(ListenerBenchOptions options, CancellationToken cancellationToken)
    {
        var run = new ListenerRun(options);
        ProcessSample? idleStart = options.ServerPid is { } idlePid ? ProcessSampler.TryRead(idlePid) : null;
        if (idleStart is not null && options.IdleSample > TimeSpan.Zero)
        {
            await Task.Delay(options.IdleSample, cancellationToken);
        }

        ProcessSample? before = options.ServerPid is { } pid ? ProcessSampler.TryRead(pid) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listeners = new Task[options.Count];
        long rampStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < listeners.Length; i++)
        {
            ListenerConnection listener = options.HttpPath is null ? new ProtocolListener(options) : new HttpStreamListener(options);
            listeners[i] = listener.ListenAsync(run, stop.Token);
        }

        try
        {
            await run.AllSettled.WaitAsync(options.RampTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Measure what connected; the rest are still trying and count as failed when the window ends.
        }

        var ramp = Stopwatch.GetElapsedTime(rampStart);
        if (options.Warmup > TimeSpan.Zero && run.Tally.Connected > 0)
        {
            await Task.Delay(options.Warmup, cancellationToken);
        }

        var benchCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        ProcessSample? windowStart = options.ServerPid is { } startPid ? ProcessSampler.TryRead(startPid) : null;
        long windowTicks = Stopwatch.GetTimestamp();
        run.Tally.Measuring = true;
        try
        {
            // Nobody to measure (every listener refused or failed): say so at once rather than after the window.
            if (run.Tally.Connected > 0 || !run.AllSettled.IsCompleted)
            {
                await Task.Delay(options.Duration, cancellationToken);
            }
        }
        finally
        {
            run.Tally.Measuring = false;
        }

        var window = Stopwatch.GetElapsedTime(windowTicks);
        ProcessSample? windowEnd = options.ServerPid is { } endPid ? ProcessSampler.TryRead(endPid) : null;
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpuStart;
        await stop.CancelAsync();
        await Task.WhenAll(listeners);

        var tally = run.Tally;
        return new ListenerBenchResult
        {
            Target = options.HttpPath is null ? $"{options.Host}:{options.Port}" : $"http://{options.Host}:{options.Port}{options.HttpPath}",
            Mode = options.HttpPath is null ? "streamer" : "http",
            Requested = options.Count,
            Connected = tally.Connected,
            Refused = tally.Refused,
            Failed = tally.Failed,
            Ended = tally.Ended,
            Lost = tally.Lost,
            Ramp = ramp,
            Window = window,
            Frames = tally.Frames,
            Bytes = tally.Bytes,
            Skipped = tally.Skipped,
            OutOfOrder = tally.OutOfOrder,
            Lateness = Summarize(tally.Lateness, tally.MaxLatenessUs),
            Delay = options.HttpPath is null ? Summarize(tally.Delay, tally.MaxDelayUs) : null,
            BenchCpuPercent = 100 * benchCpu.TotalSeconds / window.TotalSeconds,
            Server = Server(options.ServerPid, idleStart, before, windowStart, windowEnd),
            Refusals = new Dictionary<string, int>(tally.Refusals, StringComparer.Ordinal),
            Failures = new Dictionary<string, int>(tally.Failures, StringComparer.Ordinal),
        };
    }

    private static Percentiles Summarize(HistogramBase histogram, long maxUs)
        => histogram.TotalCount == 0
            ? default
            : new Percentiles(histogram.TotalCount, histogram.GetValueAtPercentile(50), histogram.GetValueAtPercentile(99), maxUs);

    private static ServerFigures? Server(int? pid, ProcessSample? idleStart, ProcessSample? before, ProcessSample? windowStart, ProcessSample? windowEnd)
    {
        if (pid is not { } id || before is not { } rssBefore || windowStart is not { } start || windowEnd is not { } end)
        {
            return null;
        }

        bool hasIdle = idleStart is { } i && i.TakenTicks != rssBefore.TakenTicks;
        double idle = hasIdle ? CpuPercent(idleStart!.Value, rssBefore, s => s.CpuTime) : double.NaN;
        double idleUser = hasIdle ? CpuPercent(idleStart!.Value, rssBefore, s => s.UserCpuTime) : double.NaN;
        return new ServerFigures(id, idle, CpuPercent(start, end, s => s.CpuTime), rssBefore.RssBytes, end.RssBytes, idleUser, CpuPercent(start, end, s => s.UserCpuTime));
    }

    private static double CpuPercent(ProcessSample from, ProcessSample to, Func<ProcessSample, TimeSpan> time)
    {
        double seconds = Stopwatch.GetElapsedTime(from.TakenTicks, to.TakenTicks).TotalSeconds;
        return seconds <= 0 ? double.NaN : 100 * (time(to) - time(from)).TotalSeconds / seconds;
    }
}
