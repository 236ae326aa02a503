using System.Globalization;

namespace Streamer.Transport.Tls;

/// <summary>A failed handshake in one line: what the peer did instead of TLS, or why its certificate was refused.</summary>
internal static class TlsFailures
{
    public static string DescribeClient(Exception failure, string? certificateProblem, ConnectionStream stream, string host, TimeSpan timeout)
    {
        if (certificateProblem is not null)
        {
            return "TLS: " + certificateProblem;
        }

        if (failure is OperationCanceledException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"TLS: the server did not complete the handshake within {timeout.TotalSeconds:0.#} s (is it a TLS server?)");
        }

        if (stream.ReceivedAny && stream.FirstBytes[0] is not (0x16 or 0x15 or 0x14 or 0x17))
        {
            // A TLS record starts 0x14-0x17 then 0x03; a Streamer frame starts with its 8-byte length, 0x00 first.
            return stream.FirstBytes[0] == 0x00
                ? "TLS: the server answered in plain Streamer frames, not TLS: it does not use TLS (connect without the TLS options)"
                : "TLS: the server answered with something that is not TLS (connect without the TLS options?)";
        }

        if (!stream.ReceivedAny)
        {
            return $"TLS: {host} closed the connection during the TLS handshake: it is probably a plain Streamer server (connect without the TLS options), or it refused our protocol version";
        }

        return "TLS: the handshake failed: " + failure.Message.TrimEnd('.');
    }

    public static string DescribeServer(Exception failure, bool aborted, TimeSpan timeout) => failure switch
    {
        OperationCanceledException when aborted => "aborted (evicted from the pending pool, or the server is stopping)",
        OperationCanceledException => string.Create(CultureInfo.InvariantCulture, $"not completed within {timeout.TotalSeconds:0.#} s"),
        _ => (failure.InnerException ?? failure).Message.TrimEnd('.'),
    };
}
