using Streamer.Media.Codecs;

namespace Streamer.Streaming;

/// <summary>A registered codec and where it came from: <see cref="CodecRegistry.BuiltIn"/> or a plug-in's path.</summary>
public sealed record CodecRegistration(IAudioCodec Codec, string Source);
