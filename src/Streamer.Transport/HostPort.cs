using System.Globalization;
using System.Net;

namespace Streamer.Transport;

/// <summary>A host and port as a user types them: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>, <c>v6</c>.</summary>
internal readonly record struct HostPort(string Host, int Port)
{
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

    public override string ToString()
        => IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
