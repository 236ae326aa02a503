using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Streamer.Transport;

namespace Streamer.Probe;

/// <summary>
/// One thing to probe, as the user typed it: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>, a bare IPv6
/// address, or a URL whose port comes from its scheme unless it names one.
/// </summary>
public sealed record ProbeTarget(string Text, string Host, int Port)
{
    /// <summary>Ports for the URL schemes people probe; "streamer" is the audio server's.</summary>
    private static readonly Dictionary<string, int> SchemePorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["http"] = 80,
        ["https"] = 443,
        ["ws"] = 80,
        ["wss"] = 443,
        ["ftp"] = 21,
        ["ssh"] = 22,
        ["telnet"] = 23,
        ["smtp"] = 25,
        ["dns"] = 53,
        ["pop3"] = 110,
        ["imap"] = 143,
        ["ldap"] = 389,
        ["smtps"] = 465,
        ["imaps"] = 993,
        ["pop3s"] = 995,
        ["mqtt"] = 1883,
        ["postgres"] = 5432,
        ["postgresql"] = 5432,
        ["redis"] = 6379,
        ["streamer"] = 9611,
    };

    /// <summary>Host and port as one would type them back: IPv6 literals in brackets.</summary>
    public string Endpoint => Format(Host, Port);

    /// <paramref name="host"/> and <paramref name="port"/> as one would type them: <c>host:port</c>, IPv6 literals in brackets.
    public static string Format(string host, int port)
        => IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + host + "]:" + port.ToString(CultureInfo.InvariantCulture)
            : host + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a target as typed (<c>host</c>, <c>host:port</c>, <c>[v6]:port</c>); without a port, <paramref name="defaultPort"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="defaultPort">The port when the text names none.</param>
    /// <param name="target">The parsed target.</param>
    /// <param name="error">When false is returned: one line naming the text and the problem.</param>
    public static bool TryParse(string text, int defaultPort, out ProbeTarget target, out string error)
    {
        target = null!;
        text = text.Trim();
        if (text.Length == 0)
        {
            error = "empty target";
            return false;
        }

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            return TryParseUrl(text, schemeEnd, out target, out error);
        }

        if (!HostPort.TryParse(text, defaultPort, out var hostPort, out error))
        {
            return false;
        }

        if (!IsPlausibleHost(hostPort.Host))
        {
            error = $"'{text}': '{hostPort.Host}' is not a host name or IP address";
            return false;
        }

        target = new ProbeTarget(text, hostPort.Host, hostPort.Port);
        return true;
    }

    private static bool TryParseUrl(string text, int schemeEnd, out ProbeTarget target, out string error)
    {
        target = null!;
        string scheme = text[..schemeEnd];
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"'{text}': not a valid URL";
            return false;
        }

        int port;
        // Uri fills in its own default for schemes it knows; an explicit port always wins.
        if (!uri.IsDefaultPort || HasExplicitPort(text, schemeEnd))
        {
            port = uri.Port;
        }
        else if (!SchemePorts.TryGetValue(scheme, out port))
        {
            error = $"'{text}': no known port for scheme '{scheme}'; add one, e.g. {scheme}://{uri.Host}:PORT";
            return false;
        }

        if (port is < 1 or > 65535)
        {
            error = $"'{text}': port must be a number from 1 to 65535";
            return false;
        }

        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost;
        target = new ProbeTarget(text, host, port);
        error = string.Empty;
        return true;
    }

    private static bool HasExplicitPort(string text, int schemeEnd)
    {
        string authority = text[(schemeEnd + 3)..];
        int end = authority.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            authority = authority[..end];
        }

        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        int bracket = authority.LastIndexOf(']');
        return authority.IndexOf(':', bracket + 1) >= 0;
    }

    private static bool IsPlausibleHost(string host)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return true;
        }

        return Uri.CheckHostName(host) == UriHostNameType.Dns;
    }
}
