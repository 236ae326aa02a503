using System.Buffers;
using System.IO.Pipelines;

namespace Streamer.Transport.Tls;

/// <summary>The clear-text pass-through for a plain peer on a TLS port: bytes copied as they come, until either side ends.</summary>
internal static class PlainPump
{
    /// <summary>Copies until the source ends or the target stops reading; returns the I/O failure that ended it, or null.</summary>
    public static async Task<IOException?> CopyAsync(PipeReader source, PipeWriter target, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await source.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
                {
                    target.Write(segment.Span);
                }

                source.AdvanceTo(result.Buffer.End);
                var flush = await target.FlushAsync(cancellationToken);
                if (result.IsCompleted || result.IsCanceled || flush.IsCompleted)
                {
                    return null;
                }
            }
        }
        catch (IOException ex)
        {
            return ex;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            return null;
        }
    }
}
