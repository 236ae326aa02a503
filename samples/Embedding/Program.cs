// Serves a WAV file on loopback and plays it back into another WAV file, through Streamer's public API only.
// Usage: dotnet run -- INPUT.wav OUTPUT.wav [CODEC]   (CODEC: pcm by default; see `streamer codecs`)
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Outputs;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Transport;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Embedding INPUT.wav OUTPUT.wav [CODEC]");
    return 2;
}

try
{
    IAudioCodec codec = CodecRegistry.Default.Get(args.Length > 2 ? args[2] : "pcm");
    await (await WavFileSource.OpenAsync(args[0])).DisposeAsync(); // A bad file fails here, not in every session.
    var sources = new FrameSourceFactory(ct => WavFileSource.OpenAsync(args[0], ct), codec, new CodecOptions());

    // Port 0: the system picks a free one. Asap pacing: no need to wait in real time for a file-to-file copy.
    await using var server = new StreamServer("127.0.0.1", 0, sources, new StreamServerOptions { Pacing = PacingMode.Asap }, NullLoggerFactory.Instance);
    using var stop = new CancellationTokenSource();
    Task serving = server.RunAsync(stop.Token);

    // The sink chain: decode (a no-op for PCM) into a WAV file, finalized when the stream ends.
    var client = new StreamClient(new StreamClientOptions { CreateSink = context => context.Decode(new WavFileOutput(args[1])) }, NullLogger.Instance);
    var stream = new ReceivedStream();
    await client.RunAsync(new HostPort("127.0.0.1", server.LocalEndPoint.Port), stream, CancellationToken.None);

    await stop.CancelAsync();
    await serving;
    Console.WriteLine($"{stream.Stats.Packets} packets, {stream.Stats.Lost} lost, {stream.Info?.Codec} to {args[1]}");
    return 0;
}
catch (Exception ex) when (ex is InvalidWavException or CodecException or IOException or RemoteErrorException)
{
    Console.Error.WriteLine($"embedding: {ex.Message}");
    return 1;
}
