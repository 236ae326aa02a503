using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.Security;

namespace Streamer.Web;

/// <summary>
/// <c>--token-file</c> on the web port: every request but the page's own static files (<c>/app.js</c>, <c>/style.css</c>:
/// the same for everyone, no data) needs a token with the <c>listen</c> role (or <c>admin</c>), as
/// <c>Authorization: Bearer TOKEN</c> or <c>?token=TOKEN</c> (what a player or a browser's <c>&lt;audio&gt;</c> is
/// given). The check is <see cref="AccessTokens.RolesOf"/>: constant time, nothing but hashes kept. No token (or an
/// unknown one) is 401 with a <c>WWW-Authenticate: Bearer</c> challenge, a known token without the role is 403; each
/// with a one-line plain body. Tokens never appear in a log line or a response.
/// </summary>
internal sealed class TokenAccessGate(AccessTokens tokens, ILogger logger) : IWebAccessGate
{
    public const string QueryParameter = "token";

    /// <summary>Where the admitted token's roles are left in <see cref="HttpContext.Items"/>.</summary>
    public const string RolesKey = "streamer.roles";

    private static readonly string[] PublicFiles = ["/app.js", "/style.css"];

    public async ValueTask<bool> AllowAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        if (Array.IndexOf(PublicFiles, path) >= 0)
        {
            return true;
        }

        string? token = Presented(context.Request);
        var roles = tokens.RolesOf(token);
        if ((roles & (AccessRole.Listen | AccessRole.Admin)) != 0)
        {
            context.Items[RolesKey] = roles;
            return true;
        }

        string reason = token is null
            ? "this server needs a token: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN to the URL"
            : roles == AccessRole.None ? "the token was not accepted" : "the token does not allow listening (it needs the listen role)";
        int status = token is null || roles == AccessRole.None ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        WebLog.Refused(logger, WebServer.Describe(context), Protocol.PeerText.Sanitize(path.Length > 100 ? path[..100] : path), status, reason);
        var response = context.Response;
        response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = token is null ? "Bearer realm=\"streamer\"" : "Bearer realm=\"streamer\", error=\"invalid_token\"";
        }

        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(reason + "\n"), context.RequestAborted);
        return false;
    }

    /// <summary>Whether the request may read the chat room's names and lines: no tokens on, or a token with the chat (or admin) role.</summary>
    public static bool MayReadChat(HttpContext context, bool tokensOn)
        => !tokensOn || (context.Items.TryGetValue(RolesKey, out var roles) && roles is AccessRole granted && (granted & (AccessRole.Chat | AccessRole.Admin)) != 0);

    /// <summary>The bearer token of the Authorization header, else the <c>token</c> query parameter, else null.</summary>
    internal static string? Presented(HttpRequest request)
    {
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            string bearer = authorization["Bearer ".Length..].Trim();
            if (bearer.Length > 0)
            {
                return bearer;
            }
        }

        return request.Query.TryGetValue(QueryParameter, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
    }
}
