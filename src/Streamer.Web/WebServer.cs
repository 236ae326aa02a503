using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streamer.Streaming.Http;
using Streamer.Streaming.Send;

namespace Streamer.Web;

/// <summary>
/// The web side of a broadcast server, on Kestrel: <c>/stream.opus</c> (the live Ogg Opus stream), <c>/</c> (the status
/// page, static files from this assembly), <c>/status.json</c> and <c>/events</c> (the same status as server-sent
/// events, once a second). Anything else is 404. Kestrel's limits (connections, header deadline, minimum data rate)
/// keep idle and stalled HTTP peers from costing the audio listeners anything: they share no thread, lock or slot.
/// With <see cref="WebServerOptions.Certificate"/> it speaks HTTPS only; with <see cref="WebServerOptions.Tokens"/>
/// every request but the page's static files needs a token with the listen role (docs/web.md, "TLS and tokens").
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    /// <summary>The path of the live Ogg Opus stream.</summary>
    public const string StreamPath = "/stream.opus";

    private static readonly TimeSpan EventInterval = TimeSpan.FromSeconds(1);

    /// <summary>After a chat line, how long an event waits for more (a burst of lines is one event, not one each).</summary>
    private static readonly TimeSpan ChatGather = TimeSpan.FromMilliseconds(150);

    private readonly OggLiveStream _ogg;
    private readonly WebServerOptions _options;
    private readonly ILogger _logger;
    private readonly HttpListenerRegistry _listeners = new();
    private readonly StatusJson _status;
    private readonly TokenAccessGate? _tokens;
    private readonly WebApplication _app;

    /// <summary>Builds the web side of <paramref name="server"/> streaming <paramref name="ogg"/>; <see cref="StartAsync"/> binds.</summary>
    public WebServer(StreamServer server, OggLiveStream ogg, WebServerOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(loggers);
        _ogg = ogg ?? throw new ArgumentNullException(nameof(ogg));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = loggers.CreateLogger("Streamer.Web");
        _status = new StatusJson(server, ogg, _listeners, options.Chat, DateTimeOffset.UtcNow);
        _tokens = options.Tokens is { } tokens ? new TokenAccessGate(tokens, _logger) : null;
        _app = Build(loggers);
    }

    /// <summary>The port listened on, once started.</summary>
    public int Port { get; private set; }

    /// <summary>"https" when serving with a certificate, else "http".</summary>
    public string Scheme => _options.Certificate is null ? "http" : "https";

    /// <summary>HTTP stream listeners connected now.</summary>
    public int StreamListeners => _listeners.Snapshot().Length;

    /// <summary>Binds and starts serving. Throws <see cref="IOException"/> when the address cannot be bound (in use, not ours).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        foreach (string address in addresses)
        {
            Port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
            WebLog.Listening(_logger, Scheme, address.Replace("https://", string.Empty, StringComparison.Ordinal).Replace("http://", string.Empty, StringComparison.Ordinal), _tokens is null ? "no token needed" : "a token with the listen role needed");
            break;
        }
    }

    /// <summary>Stops Kestrel: open streams end at once.</summary>
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    private WebApplication Build(ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddLogging(logging => logging
            .ClearProviders()
            .AddProvider(new ForwardingLoggerProvider(loggers))
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter("Microsoft", LogLevel.Warning)
            // One warning per connection refused at the limit: 10 000 idle sockets would be 10 000 lines.
            .AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error)
            // A failed start (a port in use) is reported by the caller in one line; the host's stack trace is noise.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));
        builder.Services.AddRoutingCore();
        if (_options.Certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = _options.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = _options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxResponseBufferSize = _options.MaxResponseBufferBytes;
            // The default minimum response rate (240 B/s after 5 s) drops a listener that stopped reading.
            Listen(kestrel, _options.Host, _options.Port, _options.Certificate is null ? null : listen => WebTls.Use(listen, _options));
        });
        var app = builder.Build();
        app.Use(GateAsync);
        app.MapGet(StreamPath, (RequestDelegate)StreamAsync);
        app.MapGet("/status.json", (RequestDelegate)StatusAsync);
        app.MapGet("/events", (RequestDelegate)EventsAsync);
        app.MapGet("/", (RequestDelegate)(context => StaticAssets.ServeAsync(context, "index.html")));
        app.MapGet("/{file}", (RequestDelegate)(context => StaticAssets.ServeAsync(context, (string)context.Request.RouteValues["file"]!)));
        return app;
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, string host, int port, Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions>? https)
    {
        https ??= static _ => { };
        if (host == "*")
        {
            kestrel.ListenAnyIP(port, https);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.Listen(IPAddress.Loopback, port, https);
        }
        else if (IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, port, https);
        }
        else
        {
            throw new ArgumentException($"--http-host: '{host}' is not an IP address, 'localhost' or '*'", nameof(host));
        }
    }

    private async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        // A token given in the page's URL must not leak to anything the page links to.
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (_tokens is not null && !await _tokens.AllowAsync(context))
        {
            return;
        }

        if (_options.AccessGate is { } gate && !await gate.AllowAsync(context))
        {
            return;
        }

        await next(context);
    }

    private async Task StreamAsync(HttpContext context)
    {
        string remote = Describe(context);
        var response = context.Response;
        if (_ogg.Failure is { } failure)
        {
            WebLog.StreamUnavailable(_logger, remote, failure);
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync("the stream is not available: " + failure + "\n", context.RequestAborted);
            return;
        }

        response.ContentType = "audio/ogg";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        string agent = context.Request.Headers.UserAgent.ToString();
        var entry = _listeners.Add(remote, agent.Length > 200 ? agent[..200] : agent);
        WebLog.ListenerJoined(_logger, remote, entry.UserAgent);
        try
        {
            await response.StartAsync(context.RequestAborted);
            await _ogg.WriteToAsync(response.BodyWriter, entry.Stats, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The listener hung up (or the server is stopping).
        }
        catch (IOException ex)
        {
            WebLog.StreamUnavailable(_logger, remote, ex.Message);
        }
        finally
        {
            _listeners.Remove(entry);
            WebLog.ListenerLeft(_logger, remote, entry.Stats.Pages, entry.Stats.Bytes, entry.Stats.Skipped);
        }
    }

    private async Task StatusAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(_status.Build(TokenAccessGate.MayReadChat(context, _tokens is not null)), context.RequestAborted);
    }

    /// <summary>Server-sent events: the status once a second, and soon after each chat line, until the page goes away.</summary>
    private async Task EventsAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stop = context.RequestAborted;
        bool chat = TokenAccessGate.MayReadChat(context, _tokens is not null);
        try
        {
            while (true)
            {
                await response.Body.WriteAsync("data: "u8.ToArray(), stop);
                await response.Body.WriteAsync(_status.Build(chat), stop);
                await response.Body.WriteAsync("\n\n"u8.ToArray(), stop);
                await response.Body.FlushAsync(stop);
                await NextEventAsync(stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Waits for the next tick, or for the chat room's next line (then a little more, to gather a burst); throws when <paramref name="stop"/> is cancelled.</summary>
    private async Task NextEventAsync(CancellationToken stop)
    {
        var tick = Task.Delay(EventInterval, stop);
        // WhenAny takes its continuation off the loser: a quiet room accumulates nothing, however long the page stays.
        if (_options.Chat is { } room && await Task.WhenAny(tick, room.NextLine) != tick)
        {
            await Task.Delay(ChatGather, stop);
            return;
        }

        await tick;
    }

    internal static string Describe(HttpContext context)
        => context.Connection.RemoteIpAddress is { } ip
            ? new IPEndPoint(ip, context.Connection.RemotePort).ToString()
            : context.Connection.Id ?? "an unknown peer";
}
