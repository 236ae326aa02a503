using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Ogg;
using Streamer.Media.Outputs;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Tls;

namespace Streamer.Streaming.Receive.Http;

/// <summary>
/// Receives an Ogg Opus HTTP stream (an Icecast mount, a streamer's <c>/stream.opus</c>, a static <c>.opus</c> file)
/// into the same sink chain as <see cref="StreamClient"/>: the decoder, the jitter buffer and the outputs, with the
/// same statistics. Ogg carries no packet numbers: see <see cref="OggOpusDepacketizer"/> for how loss and lateness
/// are counted. There is no clock sync and no presentation time: playout follows the jitter buffer's target.
/// </summary>
public sealed class HttpStreamClient
{
    /// <summary>A body that brings no Ogg page in its first this many bytes is not an Ogg stream.</summary>
    private const int MaxBytesBeforeFirstPage = 64 * 1024;

    private readonly StreamClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>A client that builds its sink chain as <paramref name="options"/> say (their connection settings other than the timeouts do not apply), logging to <paramref name="logger"/>.</summary>
    public HttpStreamClient(StreamClientOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>Whether <paramref name="address"/> names an HTTP stream (http:// or https://) rather than a native HOST:PORT.</summary>
    public static bool IsHttpUrl(string address, out Uri? url)
    {
        url = null;
        return (address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(address, UriKind.Absolute, out url);
    }

    /// <summary>
    /// Streams to the end. Throws <see cref="IOException"/> when the request fails (refused, unreachable, an HTTP
    /// error status), <see cref="CodecException"/> when the body is not Ogg Opus, <see cref="ConnectionLostException"/>
    /// when the stream ends before its end-of-stream page or stalls (after finalizing the output).
    /// </summary>
    public async Task RunAsync(Uri url, ReceivedStream stream, CancellationToken cancellationToken)
    {
        string where = Describe(url);
        using var handler = new SocketsHttpHandler { ConnectTimeout = _options.ConnectTimeout, AllowAutoRedirect = true, MaxAutomaticRedirections = 5 };
        var tls = _options.Tls is { } tlsOptions ? new ServerCertificateCheck(tlsOptions, url.IdnHost) : null;
        if (tls is not null)
        {
            handler.SslOptions = tls.CreateOptions();
        }

        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", Handshake.Agent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("audio/ogg"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/ogg"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("audio/opus"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
        // No in-band ICY metadata: the body is then the Ogg stream alone (titles travel in Ogg comments anyway).
        request.Headers.TryAddWithoutValidation("Icy-MetaData", "0");
        if (_options.Token is { } token)
        {
            // A streamer server with --token-file wants it (docs/web.md); others ignore it. Never logged, and .NET
            // drops it when a redirect is followed.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await SendAsync(http, request, where, _options.ConnectTimeout, tls, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string said = await FirstLineAsync(response, cancellationToken);
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{where}: the server answered HTTP {(int)response.StatusCode} {PeerText.ForDisplay(response.ReasonPhrase ?? string.Empty)}{said}"));
        }

        string contentType = PeerText.ForDisplay(response.Content.Headers.ContentType?.MediaType ?? "no content type");
        string server = PeerText.ForDisplay(response.Headers.Server.ToString() is { Length: > 0 } s ? s : "unnamed server");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            await ReceiveAsync(reader, stream, where, contentType, server, response.Content.Headers.ContentLength is null, cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string where, TimeSpan timeout, ServerCertificateCheck? tls, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The connection and the response head together: a server that accepts and says nothing cannot hold us.
        deadline.CancelAfter(timeout);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{where}: no answer within {timeout.TotalSeconds:0.###} s"), ex);
        }
        catch (HttpRequestException ex)
        {
            string reason = ex.InnerException is SocketException socket
                ? NetworkErrors.Describe(socket.SocketErrorCode)
                : ex.HttpRequestError switch
                {
                    HttpRequestError.NameResolutionError => "name not resolved",
                    HttpRequestError.SecureConnectionError => tls?.Problem is { } problem ? "TLS: " + problem : tls is null && ex.InnerException is System.Security.Authentication.AuthenticationException ? "TLS handshake failed (a certificate this system does not trust? pin it with --tls-fingerprint or give its CA with --tls-ca)" : "TLS handshake failed",
                    HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "not an HTTP server",
                    _ => "request failed",
                };
            throw new IOException($"{where}: {reason}", ex);
        }
    }

    private async Task ReceiveAsync(PipeReader reader, ReceivedStream stream, string where, string contentType, string server, bool isLive, CancellationToken cancellationToken)
    {
        ReceiveContext? context = null;
        OggOpusDepacketizer? live = null;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var depacketizer = new OggOpusDepacketizer(
            (head, frameSamples, firstGranule) =>
            {
                var info = StreamInfoFor(head, frameSamples, firstGranule);
                stream.Info = info;
                HttpStreamLog.Playing(_logger, where, head.Channels, head.InputSampleRate, server);
                context = new ReceiveContext(info, stream, CreateDecoder, _logger, cancellationToken);
                // A stage that fails on its own thread (a clocked output) stops the read loop too.
                context.Aborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), stall);
                var sink = _options.CreateSink(context);
                // A live stream (no length) into a clocked output plays at the live edge; a file plays whole.
                live!.SkipToLiveEdge = isLive && stream.Buffer is not null;
                return sink;
            },
            stream.Stats);
        live = depacketizer;
        try
        {
            await ReadPagesAsync(reader, depacketizer, stall, () => context?.Failure is not null, where, contentType, cancellationToken);
            if (depacketizer.Sink is { } sink)
            {
                await sink.CompleteAsync(0, cancellationToken);
                stream.Ended = true;
            }
        }
        catch (OperationCanceledException) when (context?.Failure is { } failure && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(depacketizer.Sink);
            ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            // Finalize what was written on every path; a failing output fails again on close, and the first error is the news.
            await DisposeQuietlyAsync(depacketizer.Sink);
            depacketizer.Release();
            context?.Dispose();
        }
    }

    private async Task ReadPagesAsync(PipeReader reader, OggOpusDepacketizer depacketizer, CancellationTokenSource stall, Func<bool> aborted, string where, string contentType, CancellationToken cancellationToken)
    {
        var stallTimeout = _options.StallTimeout;
        if (stallTimeout is { } first)
        {
            stall.CancelAfter(first);
        }

        bool sawPage = false;
        long skippedBytes = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(stall.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && stallTimeout is { } limit && !aborted())
            {
                throw new ConnectionLostException(string.Create(CultureInfo.InvariantCulture, $"{where}: no audio for {limit.TotalSeconds:0.###} s: the server stopped sending (--stall-timeout)"), ex);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw new ConnectionLostException($"{where}: the server reset the connection mid-stream", ex);
            }

            var buffer = result.Buffer;
            long arrivalUs = WallClock.NowMicroseconds();
            while (true)
            {
                var status = OggPageParser.TryRead(ref buffer, out var page, out var bytes, out long skipped);
                if (status == OggReadStatus.NeedMoreData)
                {
                    break;
                }

                if (status == OggReadStatus.Skipped)
                {
                    skippedBytes += skipped;
                    if (!sawPage && skippedBytes > MaxBytesBeforeFirstPage)
                    {
                        throw NotOgg(where, contentType);
                    }

                    continue;
                }

                if (!sawPage && !page.BeginsStream)
                {
                    throw new CodecException($"{where}: the stream does not start with an Ogg stream header");
                }

                sawPage = true;
                if (skippedBytes > 0)
                {
                    HttpStreamLog.Skipped(_logger, where, skippedBytes);
                    skippedBytes = 0;
                }

                try
                {
                    await depacketizer.AcceptAsync(page, bytes, arrivalUs, stall.Token);
                }
                catch (CodecException ex)
                {
                    // Not Opus, or more channels than the decoder plays: name the URL it came from.
                    throw new CodecException($"{where}: {ex.Message}", ex);
                }
                if (stallTimeout is { } next && depacketizer.Sink is not null)
                {
                    stall.CancelAfter(next);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (!sawPage)
                {
                    throw NotOgg(where, contentType);
                }

                if (depacketizer.Sink is null)
                {
                    throw new ConnectionLostException($"{where}: the server closed the stream before any audio");
                }

                if (!depacketizer.Ended)
                {
                    throw new ConnectionLostException($"{where}: the server closed the stream mid-stream");
                }

                return;
            }
        }
    }

    /// <summary>": " and the first line of a short plain-text error body (a streamer server's reason), else empty.</summary>
    private static async Task<string> FirstLineAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/plain")
        {
            return string.Empty;
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(2));
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var bytes = new byte[256];
            int read = await body.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, deadline.Token);
            string line = System.Text.Encoding.UTF8.GetString(bytes, 0, read).Split('\n', 2)[0].Trim();
            return line.Length == 0 ? string.Empty : ": " + PeerText.ForDisplay(line);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static CodecException NotOgg(string where, string contentType)
        => new($"{where}: not an Ogg stream (the server sent {contentType})");

    /// <summary>What the decoder and the outputs are told: Opus at 48 kHz. The pre-skip applies to a stream heard
    /// from its start only; a listener that joins a live stream mid-way drops nothing.</summary>
    private static StreamInfoMessage StreamInfoFor(OpusHead head, int frameSamples, long firstGranule)
    {
        int preSkip = firstGranule <= 0 ? head.PreSkip : 0;
        var parameters = new Dictionary<string, string>
        {
            [CodecStreamInfo.PreSkipKey] = preSkip.ToString(CultureInfo.InvariantCulture),
            ["input-rate"] = head.InputSampleRate.ToString(CultureInfo.InvariantCulture),
            ["container"] = "ogg",
        };
        return new StreamInfoMessage("opus", OpusOggHeaders.GranuleRate, head.Channels, "s16le", frameSamples, 0, -1, parameters);
    }

    private static Media.Codecs.IAudioDecoder CreateDecoder(StreamInfoMessage info)
        => CodecRegistry.Default.Get(info.Codec).CreateDecoder(info.ToCodecStreamInfo());

    private static async Task DisposeQuietlyAsync(IPacketSink? sink)
    {
        if (sink is null)
        {
            return;
        }

        try
        {
            await sink.DisposeAsync();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The URL for messages, without any user:password it may carry.</summary>
    private static string Describe(Uri url)
        => string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();
}
