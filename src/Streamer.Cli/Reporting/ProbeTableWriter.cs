using System.Globalization;
using System.Text;
using Streamer.Chat;
using Streamer.Probe;
using Streamer.Protocol;

namespace Streamer.Cli.Reporting;

/// <summary>Writes probe results as an aligned table for people.</summary>
internal static class ProbeTableWriter
{
    private static readonly string[] Headings = ["TARGET", "STATUS", "ADDRESS", "CONNECT", "TRIES", "DETAILS"];

    public static string Format(IReadOnlyList<ProbeResult> results)
    {
        var rows = new List<string[]>(results.Count + 1) { Headings };
        foreach (var result in results)
        {
            rows.Add(
            [
                result.Target.Endpoint,
                result.IsUp ? "up" : "down",
                result.Address ?? "-",
                result.ConnectMs is { } ms ? Number(ms) + " ms" : "-",
                result.Attempts.ToString(CultureInfo.InvariantCulture),
                // One row per target whatever a peer sent: its words are neutralized (CR/LF would split the row).
                PeerText.Sanitize(Details(result)),
            ]);
        }

        var widths = new int[Headings.Length];
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length - 1; i++)
            {
                text.Append(row[i].PadRight(widths[i] + 2));
            }

            text.Append(row[^1]).Append('\n');
        }

        return text.ToString();
    }

    public static string Details(ProbeResult result)
    {
        if (!result.IsUp)
        {
            string reason = result.Failure.ToText();
            bool detailAddsNothing = string.IsNullOrEmpty(result.Detail) || result.Detail.Contains(reason, StringComparison.Ordinal);
            return detailAddsNothing ? reason : reason + " (" + result.Detail + ")";
        }

        if (result.Streamer is not { } peer)
        {
            return result.ProtocolNote is null ? string.Empty : "not Streamer";
        }

        var text = new StringBuilder("streamer");
        if (peer.Version is { } version)
        {
            text.Append(" v").Append(version.ToString(CultureInfo.InvariantCulture));
        }

        if (peer.Role.Length > 0)
        {
            text.Append(' ').Append(peer.Role);
        }

        if (peer.Rtt is { } rtt)
        {
            text.Append(CultureInfo.InvariantCulture, $", rtt min/avg/p99/max {Number(rtt.MinMs)}/{Number(rtt.AvgMs)}/{Number(rtt.P99Ms)}/{Number(rtt.MaxMs)} ms, jitter {Number(rtt.JitterMs)} ms, {rtt.Received}/{rtt.Sent} pongs");
        }

        if (peer.Error is { } error)
        {
            text.Append(" (").Append(error).Append(')');
        }

        return text.ToString();
    }

    private static string Number(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);
}
