using System.Globalization;
using System.Net;

namespace Streamer.Transport;

/// <summary>A host and port as a user types them: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>, <c>v6</c>.</summary>
/// <param name="Host">A name to resolve or an address literal (IPv6 without brackets).</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
public readonly record struct HostPort(string Host, int Port)
{
    /// <summary>Parses what a user typed; without a port, <paramref name="defaultPort"/> is used.</summary>
    /// <param name="text">The text, for example <c>127.0.0.1:5000</c>, <c>localhost</c> or <c>[::1]:5000</c>.</param>
    /// <param name="defaultPort">The port when the text names none.</param>
    /// <param name="value">The parsed host and port.</param>
    /// <param name="error">When false is returned: one line naming the text and the problem.</param>
    public static bool TryParse(string text, int defaultPort, out HostPort value, out string error)
    {
        value = default;
        error = string.Empty;
        text = text.Trim();
        string host = text;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}': missing ']' after the IPv6 address";
                return false;
            }

            host = text[1..close];
            string rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{text}': expected ':PORT' after ']'";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            error = $"'{text}': no host given";
            return false;
        }

        int port = defaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{text}': port must be a number from 1 to 65535";
            return false;
        }

        value = new HostPort(host, port);
        return true;
    }

    /// <summary><c>host:port</c>, with an IPv6 address in brackets.</summary>
    public override string ToString()
        => IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
