using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Tls;

/// <summary>
/// TLS over any inner <see cref="IConnection"/>: an <see cref="SslStream"/> over the inner pipes, and two pipes of our
/// own that the application reads and writes in clear, with a receive pump (decrypt into the input) and a send pump
/// (encrypt the output) — the shape of the socket transport, one layer up. On a server the connection is handed out
/// at once and its handshake runs in the background under its own deadline, so a slow or silent peer waits in the host's
/// pending pool (whose hello deadline starts once <see cref="Negotiated"/> completes), never in the accept loop or a
/// session slot.
/// </summary>
internal sealed class TlsConnection : ITlsConnection
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly IConnection _inner;
    private readonly ConnectionStream _stream;
    private readonly Pipe _input;
    private readonly ReceivedInput _received;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _negotiated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SslStream? _ssl;
    private Task _running = Task.CompletedTask;
    private volatile bool _encrypted;
    private int _disposed;

    private TlsConnection(IConnection inner, long maxInputBufferBytes, int maxOutputBufferBytes, int outputSegmentBytes = 4096)
    {
        _inner = inner;
        _stream = new ConnectionStream(inner);
        // Inline scheduling, as the socket transport: the application's frames are parsed on the thread that decrypted
        // them, and its flush encrypts on its own thread, with no hop to the thread pool per record.
        _input = new Pipe(new PipeOptions(pauseWriterThreshold: maxInputBufferBytes, resumeWriterThreshold: maxInputBufferBytes / 2, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        _received = new ReceivedInput(_input.Reader);
        _output = new Pipe(new PipeOptions(pauseWriterThreshold: maxOutputBufferBytes, resumeWriterThreshold: maxOutputBufferBytes / 2, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, minimumSegmentSize: outputSegmentBytes, useSynchronizationContext: false));
    }

    public PipeReader Input => _received;

    public PipeWriter Output => _output.Writer;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public bool IsEncrypted => _encrypted;

    public Task Negotiated => _negotiated.Task;

    public SslProtocols Protocol => _encrypted ? _ssl!.SslProtocol : SslProtocols.None;

    public X509Certificate2? RemoteCertificate => _encrypted ? _ssl!.RemoteCertificate as X509Certificate2 : null;

    /// <summary>Server side: returns at once; the peer's first bytes decide between a TLS handshake and a plain pass-through (to be refused).</summary>
    public static TlsConnection Accept(IConnection inner, TlsServerOptions options, ILogger logger)
    {
        var connection = new TlsConnection(inner, options.MaxInputBufferBytes, options.MaxOutputBufferBytes, options.OutputSegmentBytes);
        connection._running = Task.Run(() => connection.RunServerAsync(options, logger));
        return connection;
    }

    /// <summary>Client side: the handshake, within its deadline; a failure is a <see cref="TlsHandshakeException"/> and disposes <paramref name="inner"/>.</summary>
    public static async ValueTask<TlsConnection> ConnectAsync(IConnection inner, string targetHost, TlsClientOptions options, CancellationToken cancellationToken)
    {
        var connection = new TlsConnection(inner, options.MaxInputBufferBytes, options.MaxOutputBufferBytes);
        var check = new ServerCertificateCheck(options, targetHost);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HandshakeTimeout);
        var ssl = new SslStream(connection._stream, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsClientAsync(check.CreateOptions(), deadline.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync();
            inner.Abort();
            await inner.DisposeAsync();
            cancellationToken.ThrowIfCancellationRequested();
            throw new TlsHandshakeException(TlsFailures.DescribeClient(ex, check.Problem, connection._stream, targetHost, options.HandshakeTimeout), ex);
        }

        connection._ssl = ssl;
        connection._encrypted = true;
        connection._negotiated.TrySetResult();
        connection._running = Task.WhenAll(Task.Run(connection.ReceiveEncryptedAsync), Task.Run(connection.SendEncryptedAsync));
        return connection;
    }

    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _inner.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _negotiated.TrySetResult();
        await _output.Writer.CompleteAsync();
        await _received.CompleteAsync();
        try
        {
            // What the application wrote goes out (encrypted, then close_notify), as a socket drains before closing.
            await _sent.Task.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            Abort();
        }

        await _inner.DisposeAsync();
        await _abort.CancelAsync();
        try
        {
            await _running;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        if (_ssl is not null)
        {
            await _ssl.DisposeAsync();
        }

        _abort.Dispose();
    }

    private async Task RunServerAsync(TlsServerOptions options, ILogger logger)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        deadline.CancelAfter(options.HandshakeTimeout);
        bool tls;
        try
        {
            tls = await StartsWithTlsAsync(_inner.Input, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            End(ex is OperationCanceledException ? null : ex);
            return;
        }

        if (!tls)
        {
            // A plain peer (an old or misconfigured client): its bytes pass in clear so the server can refuse it in a
            // frame it reads (tls-required), in place of a TLS alert it could not.
            TlsLog.PlainClient(logger, RemoteEndPoint);
            _negotiated.TrySetResult();
            await Task.WhenAll(Task.Run(ReceivePlainAsync), Task.Run(SendPlainAsync));
            return;
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsServerAsync(ClientCertificateCheck.CreateOptions(options), deadline.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync();
            string reason = TlsFailures.DescribeServer(ex, _abort.IsCancellationRequested, options.HandshakeTimeout);
            TlsLog.HandshakeFailed(logger, RemoteEndPoint, reason);
            End(_abort.IsCancellationRequested ? null : new TlsHandshakeException("TLS handshake failed: " + reason, ex));
            return;
        }

        _ssl = ssl;
        _encrypted = true;
        _negotiated.TrySetResult();
        TlsLog.Handshaken(logger, RemoteEndPoint, ssl.SslProtocol, ssl.NegotiatedCipherSuite);
        await Task.WhenAll(Task.Run(ReceiveEncryptedAsync), Task.Run(SendEncryptedAsync));
    }

    /// <summary>A TLS handshake record starts 0x16 0x03; waits for two bytes (or the end) without consuming them.</summary>
    private static async Task<bool> StartsWithTlsAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (data.Length >= 2 || result.IsCompleted || result.IsCanceled)
            {
                bool tls = IsTlsHandshake(data);
                input.AdvanceTo(data.Start);
                return tls;
            }

            input.AdvanceTo(data.Start, data.End);
        }
    }

    private static bool IsTlsHandshake(ReadOnlySequence<byte> data)
    {
        if (data.Length < 2)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[2];
        data.Slice(0, 2).CopyTo(head);
        return head[0] == 0x16 && head[1] == 0x03;
    }

    /// <summary>Ends both application pipes before any data: the handshake failed, or was aborted.</summary>
    private void End(Exception? failure)
    {
        if (failure is not null)
        {
            _received.Fail(failure);
        }

        _input.Writer.Complete();
        _output.Reader.Complete();
        _sent.TrySetResult();
        _negotiated.TrySetResult();
    }

    private async Task ReceiveEncryptedAsync()
    {
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(64 * 1024);
                int read = await _ssl!.ReadAsync(memory, _abort.Token);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                var flush = await writer.FlushAsync(_abort.Token);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            if (!_abort.IsCancellationRequested)
            {
                // As a socket's reset: raised after every byte that arrived before it.
                _received.Fail(ex as ConnectionResetException ?? new ConnectionResetException("the connection was reset: " + ex.Message, ex));
            }
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }

    private async Task SendEncryptedAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_abort.Token);
                if (!result.Buffer.IsEmpty)
                {
                    _stream.Batching = true;
                    await EncryptAsync(result.Buffer);
                    _stream.Batching = false;
                    var flush = await _inner.Output.FlushAsync(_abort.Token);
                    if (flush.IsCompleted)
                    {
                        break;
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            // close_notify, then our FIN: the peer reads a clean end, as with a plain half-close.
            await ShutdownTlsAsync(_ssl!);
            await _inner.Output.CompleteAsync();
        }
        // A CryptographicException: close_notify asked for while the handshake never finished (OpenSSL's "shutdown while
        // in init", a peer that left mid-handshake): there is nothing to close cleanly then.
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException or AuthenticationException or System.Security.Cryptography.CryptographicException)
        {
        }
        finally
        {
            // Later flushes of the application's writer report completion, as a socket's do once it is gone.
            await reader.CompleteAsync();
            _sent.TrySetResult();
        }
    }

    /// <summary>
    /// Sends close_notify, as well as it can: when the peer has already sent its own and gone (both ends closing at once),
    /// OpenSSL fails the shutdown with an exception type of the runtime's own (not public, so not catchable by name).
    /// Nothing is left to say then, and our FIN still follows, so a failed close_notify never fails the close.
    /// </summary>
    private static async ValueTask ShutdownTlsAsync(SslStream ssl)
    {
        try
        {
            await ssl.ShutdownAsync();
        }
#pragma warning disable CA1031 // See above: the runtime's OpenSSL exception has no public type to name.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Full 16 KiB records, whatever the frames (4 KiB frames would make 4 KiB records, each with its own header, tag
    /// and system call), encrypted straight from the pipe's segments: a record is cut at a segment's end when at least
    /// a quarter record is left in it (one more record is cheaper than copying), and only a shorter tail is copied
    /// into a pooled record together with the next segment's start.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask EncryptAsync(ReadOnlySequence<byte> data)
    {
        const int RecordBytes = 16 * 1024;
        byte[]? staging = null;
        try
        {
            while (!data.IsEmpty)
            {
                var record = data.Slice(0, Math.Min(data.Length, RecordBytes));
                if (record.IsSingleSegment || data.FirstSpan.Length >= RecordBytes / 4)
                {
                    var first = data.First;
                    var part = first[..(int)Math.Min(first.Length, RecordBytes)];
                    await _ssl!.WriteAsync(part, _abort.Token);
                    data = data.Slice(part.Length);
                    continue;
                }

                staging ??= ArrayPool<byte>.Shared.Rent(RecordBytes);
                record.CopyTo(staging);
                await _ssl!.WriteAsync(staging.AsMemory(0, (int)record.Length), _abort.Token);
                data = data.Slice(record.Length);
            }
        }
        finally
        {
            if (staging is not null)
            {
                ArrayPool<byte>.Shared.Return(staging);
            }
        }
    }

    private async Task ReceivePlainAsync()
    {
        var failure = await PlainPump.CopyAsync(_inner.Input, _input.Writer, _abort.Token);
        if (failure is not null && !_abort.IsCancellationRequested)
        {
            _received.Fail(failure);
        }

        await _input.Writer.CompleteAsync();
    }

    private async Task SendPlainAsync()
    {
        if (await PlainPump.CopyAsync(_output.Reader, _inner.Output, _abort.Token) is null)
        {
            await _inner.Output.CompleteAsync();
        }

        await _output.Reader.CompleteAsync();
        _sent.TrySetResult();
    }
}
