using System.Buffers.Binary;

namespace Streamer.Media.Containers.Ogg;

/// <summary>Reads the packet sizes of the first logical stream in an Ogg file (for measuring and checking recordings).</summary>
public static class OggPacketReader
{
    /// <summary>Sizes of every packet in page order, headers included; stops at the first malformed page.</summary>
    public static List<int> PacketSizes(ReadOnlySpan<byte> file)
    {
        var sizes = new List<int>();
        int packet = 0;
        int at = 0;
        while (at + 27 <= file.Length && file.Slice(at, 4).SequenceEqual("OggS"u8))
        {
            int segments = file[at + 26];
            if (at + 27 + segments > file.Length)
            {
                break;
            }

            var lacing = file.Slice(at + 27, segments);
            int body = 0;
            foreach (byte value in lacing)
            {
                packet += value;
                body += value;
                if (value < 255)
                {
                    sizes.Add(packet);
                    packet = 0;
                }
            }

            at += 27 + segments + body;
        }

        return sizes;
    }

    /// <summary>The granule position of the last page.</summary>
    public static long LastGranule(ReadOnlySpan<byte> file)
    {
        long granule = -1;
        int at = 0;
        while (at + 27 <= file.Length && file.Slice(at, 4).SequenceEqual("OggS"u8))
        {
            granule = BinaryPrimitives.ReadInt64LittleEndian(file[(at + 6)..]);
            int segments = file[at + 26];
            int body = 0;
            for (int i = 0; i < segments && at + 27 + i < file.Length; i++)
            {
                body += file[at + 27 + i];
            }

            at += 27 + segments + body;
        }

        return granule;
    }
}
