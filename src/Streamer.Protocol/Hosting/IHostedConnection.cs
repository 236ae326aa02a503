namespace Streamer.Protocol.Hosting;

/// <summary>
/// What a server does with one accepted connection, in the two phases a <see cref="ConnectionHost"/> runs.
/// The host owns the connection: it disposes it after the last phase, whatever happened.
/// </summary>
public interface IHostedConnection
{
    /// <summary>
    /// Phase 1, in the pending pool: read and check the peer's hello, within <paramref name="timeout"/>, without
    /// answering it yet. Returns false when the connection is over (the peer was told why, or dropped, and it is
    /// logged). <paramref name="cancellationToken"/> is cancelled when the host evicts the connection or stops;
    /// that ends quietly.
    /// </summary>
    Task<bool> AcceptHelloAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Phase 2, in a session slot: answer the hello and run the session to its end.</summary>
    Task RunAsync(CancellationToken stopping);

    /// <summary>Instead of phase 2: tell the peer why it is turned away (the error frame replaces our hello), then close gracefully.</summary>
    Task RefuseAsync(string code, string message);
}
