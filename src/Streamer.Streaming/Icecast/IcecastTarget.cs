using System.Globalization;

namespace Streamer.Streaming.Icecast;

/// <summary>
/// Where and as whom to publish: <c>icecast://USER:PASS@HOST:PORT/MOUNT</c> (the user defaults to "source", Icecast's
/// source user; the port to 8000). The password is never part of <see cref="ToString"/>.
/// </summary>
public sealed class IcecastTarget
{
    /// <summary>Icecast's default port.</summary>
    public const int DefaultPort = 8000;

    /// <summary>Icecast's source user name.</summary>
    public const string DefaultUser = "source";

    private IcecastTarget(string host, int port, string mount, string user, string password)
    {
        Host = host;
        Port = port;
        Mount = mount;
        User = user;
        Password = password;
    }

    /// <summary>The server's host name or address.</summary>
    public string Host { get; }

    /// <summary>The server's TCP port.</summary>
    public int Port { get; }

    /// <summary>The mount point, starting with '/'.</summary>
    public string Mount { get; }

    /// <summary>The source user.</summary>
    public string User { get; }

    /// <summary>The source password (never printed).</summary>
    public string Password { get; }

    /// <summary>
    /// Parses <paramref name="text"/> (icecast:// or http://); <paramref name="credentials"/>, when given, is the
    /// content of a credentials file: "USER:PASSWORD" or a bare password on its first line, and replaces what the URL
    /// says. Returns false with a one-line reason (naming no password) when it is not usable.
    /// </summary>
    public static bool TryParse(string text, string? credentials, out IcecastTarget? target, out string error)
    {
        target = null;
        error = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "icecast" && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            error = "expected icecast://USER:PASSWORD@HOST:PORT/MOUNT";
            return false;
        }

        string mount = uri.AbsolutePath;
        if (mount.Length < 2)
        {
            error = "the URL names no mount point (say icecast://HOST:PORT/live.opus)";
            return false;
        }

        string user = DefaultUser, password = string.Empty;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]) is { Length: > 0 } named ? named : DefaultUser;
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
        }

        if (credentials is not null)
        {
            string line = credentials.Split('\n', 2)[0].TrimEnd('\r');
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                user = line[..colon];
                password = line[(colon + 1)..];
            }
            else
            {
                password = line;
            }
        }

        if (password.Length == 0)
        {
            error = "no source password (give it in the URL or with --icecast-credentials FILE)";
            return false;
        }

        // An icecast:// URL without a port has none (-1): Icecast's own default then.
        int port = uri.Port is > 0 and <= 65535 ? uri.Port : DefaultPort;
        target = new IcecastTarget(uri.Host, port, mount, user, password);
        return true;
    }

    /// <summary>The target for messages: icecast://USER@HOST:PORT/MOUNT, without the password.</summary>
    public override string ToString()
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
        return string.Create(CultureInfo.InvariantCulture, $"icecast://{User}@{host}:{Port}{Mount}");
    }
}
