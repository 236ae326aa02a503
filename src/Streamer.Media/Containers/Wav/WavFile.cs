using System.IO.Pipelines;

namespace Streamer.Media.Containers.Wav;

/// <summary>Opens WAV files as pipes.</summary>
public static class WavFile
{
    /// <summary>Bytes read from the file per pipe read: large reads, few syscalls.</summary>
    private const int ReadSize = 64 * 1024;

    /// <summary>Opens and validates a WAV file; bad files throw <see cref="InvalidWavException"/> with a one-line reason.</summary>
    public static async Task<WavReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidWavException($"{path}: is a directory, not a WAV file");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidWavException($"{path}: {Describe(ex)}", ex);
        }

        return await OpenAsync(stream, path, cancellationToken);
    }

    /// <summary>Opens a WAV from any stream (the pipe owns and closes it).</summary>
    public static Task<WavReader> OpenAsync(Stream stream, string name, CancellationToken cancellationToken = default)
    {
        long? length = stream.CanSeek ? stream.Length - stream.Position : null;
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadSize, minimumReadSize: ReadSize / 4, leaveOpen: false));
        return WavReader.OpenAsync(reader, length, name, cancellationToken);
    }

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
