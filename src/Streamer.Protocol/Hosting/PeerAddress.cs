using System.Net;
using System.Net.Sockets;

namespace Streamer.Protocol.Hosting;

/// <summary>The key per-address limits count by: an IPv4 address, or the /64 prefix of an IPv6 one (one site).</summary>
internal readonly record struct PeerAddress(ulong High, ulong Low)
{
    public static PeerAddress Of(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return default;
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new PeerAddress(0, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        address.TryWriteBytes(bytes, out _);
        // One host is usually given a whole /64: counting addresses inside it would let one host have 2^64 of them.
        return new PeerAddress(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), ulong.MaxValue);
    }
}
