using System.IO.Pipelines;

namespace Streamer.Transport;

/// <summary>An in-memory duplex pipe: two ends wired back to back, for tests and in-process links.</summary>
internal sealed class DuplexPipe : IDuplexPipe
{
    private DuplexPipe(PipeReader input, PipeWriter output)
    {
        Input = input;
        Output = output;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static (DuplexPipe A, DuplexPipe B) CreatePair(PipeOptions? options = null)
    {
        var aToB = new Pipe(options ?? PipeOptions.Default);
        var bToA = new Pipe(options ?? PipeOptions.Default);
        return (new DuplexPipe(bToA.Reader, aToB.Writer), new DuplexPipe(aToB.Reader, bToA.Writer));
    }
}
