using System.Buffers.Binary;
using System.Text;
using Streamer.Media;
using Streamer.Media.Containers.Wav;

namespace Streamer.Tests.Support;

/// <summary>Makes WAV files for tests: deterministic samples in any layout, with extra chunks where asked.</summary>
internal static class WavFixture
{
    /// <summary>Deterministic pseudo-random samples that are valid values of the encoding (finite floats in [-1, 1]).</summary>
    public static byte[] Samples(AudioFormat format, int frames, int seed = 1)
    {
        var random = new Random(seed);
        int bytesPerSample = format.Encoding.BytesPerSample();
        var data = new byte[frames * format.BlockAlign];
        for (int i = 0; i < frames * format.Channels; i++)
        {
            var slot = data.AsSpan(i * bytesPerSample, bytesPerSample);
            switch (format.Encoding)
            {
                case SampleEncoding.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(slot, (float)((random.NextDouble() * 2) - 1));
                    break;
                case SampleEncoding.Float64:
                    BinaryPrimitives.WriteDoubleLittleEndian(slot, (random.NextDouble() * 2) - 1);
                    break;
                default:
                    random.NextBytes(slot);
                    break;
            }
        }

        return data;
    }

    /// <summary>Writes <paramref name="path"/> as a plain WAV of deterministic samples and returns the samples.</summary>
    public static byte[] Write(string path, AudioFormat format, int frames)
    {
        byte[] samples = Samples(format, frames);
        File.WriteAllBytes(path, Build(format, samples));
        return samples;
    }

    /// <summary>A WAV file: RIFF header, optional chunks before fmt and between fmt and data, then the data.</summary>
    public static byte[] Build(AudioFormat format, byte[] samples, bool extensible = false, (string Id, int Size)[]? chunksBefore = null, (string Id, int Size)[]? chunksAfterFmt = null, uint? declaredDataSize = null)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        writer.Write("RIFF"u8);
        writer.Write(0u);
        writer.Write("WAVE"u8);
        foreach (var (id, size) in chunksBefore ?? [])
        {
            WriteJunk(writer, id, size);
        }

        int bits = format.Encoding.BytesPerSample() * 8;
        ushort tag = format.Encoding.IsFloat() ? (ushort)3 : (ushort)1;
        writer.Write("fmt "u8);
        writer.Write(extensible ? 40u : 16u);
        writer.Write(extensible ? (ushort)0xFFFE : tag);
        writer.Write((ushort)format.Channels);
        writer.Write((uint)format.SampleRate);
        writer.Write((uint)format.BytesPerSecond);
        writer.Write((ushort)format.BlockAlign);
        writer.Write((ushort)bits);
        if (extensible)
        {
            writer.Write((ushort)22);
            writer.Write((ushort)bits);
            writer.Write(format.ChannelMask);
            writer.Write(tag);
            writer.Write(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }

        foreach (var (id, size) in chunksAfterFmt ?? [])
        {
            WriteJunk(writer, id, size);
        }

        writer.Write("data"u8);
        writer.Write(declaredDataSize ?? (uint)samples.Length);
        writer.Write(samples);
        if ((samples.Length & 1) != 0)
        {
            writer.Write((byte)0);
        }

        writer.Flush();
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>The data chunk's bytes of a WAV file, located by walking its chunks.</summary>
    public static byte[] DataOf(byte[] wav)
    {
        int offset = 12;
        while (offset + 8 <= wav.Length)
        {
            string id = Encoding.ASCII.GetString(wav, offset, 4);
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(offset + 4));
            if (id == "data")
            {
                return wav.AsSpan(offset + 8, Math.Min(size, wav.Length - offset - 8)).ToArray();
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException("no data chunk");
    }

    /// <summary>Parses a file's header with the production parser.</summary>
    public static WavHeader HeaderOf(byte[] wav)
    {
        var parser = new WavHeaderParser(wav.Length);
        var buffer = new System.Buffers.ReadOnlySequence<byte>(wav);
        var status = parser.Feed(ref buffer, isFinalBlock: true);
        return status == WavParseStatus.Done ? parser.Header! : throw new InvalidDataException(parser.Error);
    }

    private static void WriteJunk(BinaryWriter writer, string id, int size)
    {
        writer.Write(Encoding.ASCII.GetBytes(id));
        writer.Write((uint)size);
        for (int i = 0; i < size; i++)
        {
            writer.Write((byte)(i * 7));
        }

        if ((size & 1) != 0)
        {
            writer.Write((byte)0);
        }
    }
}
