using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Streamer.Web;

/// <summary>
/// The embedding process owns Ctrl+C and the console: ASP.NET's console lifetime would take SIGINT for itself (the
/// command would never see it), so the web host gets a lifetime that does nothing.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>ASP.NET's own categories go to the host's loggers at Warning and above only (a line per request would drown the audio log).</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
