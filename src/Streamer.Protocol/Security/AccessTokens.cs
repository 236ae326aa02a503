using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streamer.Protocol.Security;

/// <summary>
/// The tokens a server accepts (<c>--token-file</c>), each with its roles. Only their SHA-256 is kept; a presented
/// token is hashed and compared with every entry in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>,
/// no early exit), so neither its content nor its length can be learned by timing. Tokens never appear in messages.
/// </summary>
/// <remarks>
/// The file: one token per line, optionally followed by roles separated by commas (<c>listen</c>, <c>chat</c>,
/// <c>admin</c>); no role means <c>listen,chat</c>. Blank lines and lines starting with <c>#</c> are ignored. A token
/// is at least <see cref="MinimumLength"/> printable ASCII characters without spaces (e.g. <c>openssl rand -hex 24</c>).
/// </remarks>
public sealed class AccessTokens
{
    /// <summary>The shortest token accepted: 16 characters (a short token can be guessed).</summary>
    public const int MinimumLength = 16;

    private readonly List<(byte[] Hash, AccessRole Roles)> _entries;

    private AccessTokens(List<(byte[] Hash, AccessRole Roles)> entries)
    {
        _entries = entries;
    }

    /// <summary>How many tokens there are.</summary>
    public int Count => _entries.Count;

    /// <summary>Reads a token file; a bad line is an <see cref="FormatException"/> naming the file and line (never the token).</summary>
    public static AccessTokens Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses a token file's text; <paramref name="source"/> names it in errors.</summary>
    public static AccessTokens Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<(byte[], AccessRole)>();
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 2)
            {
                throw new FormatException(Where(source, number, "expected a token and optional roles (listen,chat,admin), separated by one space"));
            }

            if (Problem(fields[0]) is { } problem)
            {
                throw new FormatException(Where(source, number, problem));
            }

            var roles = AccessRole.Listen | AccessRole.Chat;
            if (fields.Length == 2)
            {
                roles = AccessRole.None;
                foreach (string name in fields[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    roles |= name.ToLowerInvariant() switch
                    {
                        "listen" => AccessRole.Listen,
                        "chat" => AccessRole.Chat,
                        "admin" => AccessRole.Admin,
                        _ => throw new FormatException(Where(source, number, $"'{PeerText.Sanitize(name)}' is not a role (listen, chat, admin)")),
                    };
                }
            }

            entries.Add((Hash(fields[0]), roles));
        }

        if (entries.Count == 0)
        {
            throw new FormatException($"{source}: no tokens in the file");
        }

        return new AccessTokens(entries);
    }

    /// <summary>Why <paramref name="token"/> cannot be a token, or null when it can (long enough, printable ASCII, no spaces).</summary>
    public static string? Problem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                return "a token is printable ASCII without spaces";
            }
        }

        return token.Length < MinimumLength
            ? string.Create(CultureInfo.InvariantCulture, $"a token has at least {MinimumLength} characters (e.g. 'openssl rand -hex 24')")
            : null;
    }

    /// <summary>The roles <paramref name="token"/> grants: <see cref="AccessRole.None"/> for a missing or unknown token. Constant time in the token.</summary>
    public AccessRole RolesOf(string? token)
    {
        byte[] presented = Hash(token ?? string.Empty);
        var roles = AccessRole.None;
        foreach (var (hash, granted) in _entries)
        {
            // Every entry is compared, matched or not: how long this takes says nothing about which one matched.
            bool match = CryptographicOperations.FixedTimeEquals(presented, hash);
            roles |= match ? granted : AccessRole.None;
        }

        return token is null ? AccessRole.None : roles;
    }

    /// <summary>
    /// Whether the hello may go on, and if not the refusal (<c>unauthorized</c>) to send instead of the server's hello.
    /// A <c>chat</c> hello needs the chat role, a <c>probe</c> any role, every other role (<c>play</c>) the listen role;
    /// <see cref="AccessRole.Admin"/> allows all.
    /// </summary>
    public string? Refusal(HelloMessage hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (string.IsNullOrEmpty(hello.Token))
        {
            return "this server needs a token: set STREAMER_TOKEN or pass --token-file";
        }

        var roles = RolesOf(hello.Token);
        if (roles == AccessRole.None)
        {
            return "the token was not accepted";
        }

        var needed = hello.Role switch
        {
            "chat" => AccessRole.Chat,
            "probe" => AccessRole.Listen | AccessRole.Chat | AccessRole.Admin,
            _ => AccessRole.Listen,
        };
        return (roles & (needed | AccessRole.Admin)) != 0 ? null : $"the token does not allow role '{PeerText.Sanitize(hello.Role)}'";
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Where(string source, int line, string problem)
        => string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: {problem}");
}
