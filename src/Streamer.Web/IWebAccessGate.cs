using Microsoft.AspNetCore.Http;

namespace Streamer.Web;

/// <summary>
/// Admission for web requests: called before any endpoint answers (after the token check of
/// <see cref="WebServerOptions.Tokens"/>, when one is on). Implementations answer the refusal themselves (401/403).
/// </summary>
public interface IWebAccessGate
{
    /// <summary>True to serve <paramref name="context"/>; false after writing a refusal to its response.</summary>
    ValueTask<bool> AllowAsync(HttpContext context);
}
