using Microsoft.AspNetCore.Http;

namespace Streamer.Web;

/// <summary>
/// Admission for web requests, where tokens (a bearer header or a query parameter) will be checked once the security
/// work lands: called before any endpoint answers. Implementations answer the refusal themselves (401/403).
/// </summary>
public interface IWebAccessGate
{
    /// <summary>True to serve <paramref name="context"/>; false after writing a refusal to its response.</summary>
    ValueTask<bool> AllowAsync(HttpContext context);
}
