namespace Streamer.Media.Containers.Ogg;

/// <summary>Ogg's page checksum: CRC-32, polynomial 0x04C11DB7, not reflected, initial value 0, no final xor (not zlib's).</summary>
internal static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data, uint crc = 0)
    {
        foreach (byte b in data)
        {
            crc = (crc << 8) ^ Table[(int)((crc >> 24) ^ b)];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
