using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Streamer.Bench.Listeners;

/// <summary>Prints a listener bench as lines of text or as one JSON object (field names in snake_case, times in µs, memory in bytes).</summary>
public static class ListenerBenchReport
{
    /// <summary>The report as lines for people.</summary>
    public static string Text(ListenerBenchResult r)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        string unit = r.Mode == "http" ? "pages" : "frames";
        text.Append(c, $"target      {r.Target} ({r.Mode})\n");
        text.Append(c, $"listeners   {r.Connected} connected, {r.Refused} refused, {r.Failed} failed of {r.Requested} (ramp {r.Ramp.TotalSeconds:0.0} s)\n");
        text.Append(c, $"window      {r.Window.TotalSeconds:0.0} s: {r.Ended} ended, {r.Lost} lost\n");
        text.Append(c, $"{unit,-11} {r.Frames} received ({r.FramesPerListenerSecond:0.0}/s per listener, {r.Bytes} bytes), {r.Skipped} skipped, {r.OutOfOrder} out of order\n");
        text.Append(c, $"lateness    p50 {Ms(r.Lateness.P50Us)}  p99 {Ms(r.Lateness.P99Us)}  max {Ms(r.Lateness.MaxUs)} ms (arrival behind the stream's own clock)\n");
        if (r.Delay is { } delay)
        {
            text.Append(c, $"delay       p50 {Ms(delay.P50Us)}  p99 {Ms(delay.P99Us)}  max {Ms(delay.MaxUs)} ms (arrival - the server's send stamp)\n");
        }

        text.Append(c, $"bench cpu   {r.BenchCpuPercent:0.0} % of a core\n");
        if (r.Server is { } s)
        {
            text.Append(c, $"server      pid {s.Pid}: {s.CpuPercent:0.0} % of a core ({PerListener(s.CpuPercent, r.Connected):0.000} % per listener; idle {s.IdleCpuPercent:0.0} %, so {PerListener(s.CpuPercent - s.IdleCpuPercent, r.Connected):0.000} % more per listener)\n");
            text.Append(c, $"server user {s.UserCpuPercent:0.0} % in user space, {s.CpuPercent - s.UserCpuPercent:0.0} % in the kernel (idle {s.IdleUserCpuPercent:0.0} and {s.IdleCpuPercent - s.IdleUserCpuPercent:0.0} %)\n");
            text.Append(c, $"server rss  {s.RssBeforeBytes / 1024} KB before, {s.RssAfterBytes / 1024} KB with the listeners: {PerListener(s.RssGrowthBytes, r.Connected) / 1024:0.0} KB per listener\n");
        }

        foreach (var (reason, count) in r.Refusals.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"refused     {count} x {reason}\n");
        }

        foreach (var (reason, count) in r.Failures.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"failed      {count} x {reason}\n");
        }

        return text.ToString();
    }

    /// <summary>The report as one JSON object (<c>--json</c>).</summary>
    public static string Json(ListenerBenchResult r)
    {
        return BenchJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("target", r.Target);
            json.WriteString("mode", r.Mode);
            json.WriteNumber("requested", r.Requested);
            json.WriteNumber("connected", r.Connected);
            json.WriteNumber("refused", r.Refused);
            json.WriteNumber("failed", r.Failed);
            json.WriteNumber("ended", r.Ended);
            json.WriteNumber("lost", r.Lost);
            json.WriteNumber("ramp_seconds", Math.Round(r.Ramp.TotalSeconds, 3));
            json.WriteNumber("window_seconds", Math.Round(r.Window.TotalSeconds, 3));
            json.WriteNumber("frames", r.Frames);
            json.WriteNumber("bytes", r.Bytes);
            json.WriteNumber("skipped", r.Skipped);
            json.WriteNumber("out_of_order", r.OutOfOrder);
            json.WriteNumber("frames_per_listener_second", Math.Round(r.FramesPerListenerSecond, 2));
            WritePercentiles(json, "lateness_us", r.Lateness);
            if (r.Delay is { } delay)
            {
                WritePercentiles(json, "delay_us", delay);
            }
            else
            {
                json.WriteNull("delay_us");
            }

            json.WriteNumber("bench_cpu_percent", Math.Round(r.BenchCpuPercent, 2));
            if (r.Server is { } s)
            {
                json.WriteStartObject("server");
                json.WriteNumber("pid", s.Pid);
                BenchJson.Number(json, "idle_cpu_percent", s.IdleCpuPercent, 2);
                BenchJson.Number(json, "cpu_percent", s.CpuPercent, 2);
                BenchJson.Number(json, "cpu_percent_per_listener", PerListener(s.CpuPercent, r.Connected), 4);
                // What each listener adds: the source's own cost (its reader, its one encoder) is in the idle figure.
                BenchJson.Number(json, "cpu_growth_percent_per_listener", PerListener(s.CpuPercent - s.IdleCpuPercent, r.Connected), 4);
                // The same split by where the time went: user space (the server's own code) and the kernel (its
                // system calls: the same sends cost any program the same there).
                BenchJson.Number(json, "idle_user_cpu_percent", s.IdleUserCpuPercent, 2);
                BenchJson.Number(json, "user_cpu_percent", s.UserCpuPercent, 2);
                BenchJson.Number(json, "kernel_cpu_percent", s.CpuPercent - s.UserCpuPercent, 2);
                BenchJson.Number(json, "user_cpu_growth_percent_per_listener", PerListener(s.UserCpuPercent - s.IdleUserCpuPercent, r.Connected), 4);
                BenchJson.Number(json, "kernel_cpu_growth_percent_per_listener", PerListener(s.CpuPercent - s.UserCpuPercent - (s.IdleCpuPercent - s.IdleUserCpuPercent), r.Connected), 4);
                json.WriteNumber("rss_before_bytes", s.RssBeforeBytes);
                json.WriteNumber("rss_after_bytes", s.RssAfterBytes);
                BenchJson.Number(json, "rss_growth_bytes_per_listener", Math.Round(PerListener(s.RssGrowthBytes, r.Connected)), 0);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("server");
            }

            WriteCounts(json, "refusals", r.Refusals);
            WriteCounts(json, "failures", r.Failures);
            json.WriteEndObject();
        });
    }

    private static double PerListener(double total, long listeners) => listeners == 0 ? double.NaN : total / listeners;

    private static string Ms(long us) => (us / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);

    private static void WritePercentiles(Utf8JsonWriter json, string name, Percentiles p)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", p.Count);
        json.WriteNumber("p50", p.P50Us);
        json.WriteNumber("p99", p.P99Us);
        json.WriteNumber("max", p.MaxUs);
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, int> counts)
    {
        json.WriteStartObject(name);
        foreach (var (reason, count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(reason, count);
        }

        json.WriteEndObject();
    }
}
