using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Streaming.Send;
using Streamer.Transport;

namespace Streamer.Tests.Streaming.Send;

/// <summary>The server's one stall watchdog: it cuts off exactly the sessions whose send has waited past the timeout.</summary>
public sealed class StallWatchdogTests
{
    [Fact]
    public void Only_a_session_whose_send_waits_past_the_timeout_is_aborted()
    {
        // No real waiting: a timeout of zero makes any send in progress overdue, one of an hour none; the timer's own
        // period is far beyond the test, so only the explicit checks below look.
        using var strict = new StallWatchdog(TimeSpan.Zero, TimeSpan.FromHours(1));
        using var patient = new StallWatchdog(TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        var (stalled, stalledOutput) = Session();
        var (idle, idleOutput) = Session();
        var (gone, goneOutput) = Session();
        using var a = strict.Watch(stalledOutput, stalled);
        using var b = strict.Watch(idleOutput, idle);
        var c = strict.Watch(goneOutput, gone);
        using var d = patient.Watch(stalledOutput, stalled);
        stalledOutput.BeginSend();
        goneOutput.BeginSend();
        c.Dispose();

        patient.Check();
        Assert.Equal(0, stalled.Aborts);

        strict.Check();
        strict.Check();

        // Once, not at every check after; the idle one (no send in progress) and the one no longer watched never.
        Assert.Equal(1, stalled.Aborts);
        Assert.Equal(0, idle.Aborts);
        Assert.Equal(0, gone.Aborts);
    }

    private static (FakeConnection Connection, SessionOutput Output) Session()
    {
        var connection = new FakeConnection();
        return (connection, new SessionOutput(new FrameSender(connection.Output), null, NullLogger.Instance));
    }

    private sealed class FakeConnection : IConnection
    {
        private readonly Pipe _pipe = new();

        public int Aborts { get; private set; }

        public EndPoint? RemoteEndPoint => null;

        public EndPoint? LocalEndPoint => null;

        public PipeReader Input => _pipe.Reader;

        public PipeWriter Output => _pipe.Writer;

        public void Abort() => Aborts++;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
