using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace PeerLine.Server.Abuse;

/// <summary>
/// Turns an address into a source hash: HMAC-SHA256 under a random key that exists only in memory and is replaced
/// every <see cref="AbuseOptions.SourceKeyMinutes"/>. The key of the previous period is kept for one more period; after
/// that no hash can be linked to an address, not even by this process.
/// </summary>
public sealed class SourceKeys(TimeProvider time, IOptions<AbuseOptions> options) : IDisposable
{
    private static readonly MacAlgorithm Hmac = MacAlgorithm.HmacSha256;
    private readonly Lock _lock = new();
    private long _generation = long.MinValue;
    private Key? _current;
    private Key? _previous;

    /// <summary>The key period now under way.</summary>
    public long Generation => time.GetUtcNow().ToUnixTimeSeconds() / (options.Value.SourceKeyMinutes * 60L);

    /// <summary>The source of <paramref name="address"/> (null: a host without addresses, such as the test server, is one source).</summary>
    public CallerSource Identify(IPAddress? address)
    {
        Span<byte> input = stackalloc byte[17];
        var length = Normalize(address, options.Value.IPv6PrefixLength, input);
        lock (_lock)
        {
            var generation = Generation;
            Rotate(generation);
            var id = Hash(_current!, input[..length]);
            UInt128? previous = _previous is null ? null : Hash(_previous, input[..length]);
            return new CallerSource(generation, id, previous);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _previous?.Dispose();
        }
    }

    private void Rotate(long generation)
    {
        if (generation == _generation) return;
        _previous?.Dispose();
        if (generation == _generation + 1)
        {
            _previous = _current;
        }
        else
        {
            _current?.Dispose();
            _previous = null;
        }
        _current = Key.Create(Hmac, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
        _generation = generation;
    }

    private static UInt128 Hash(Key key, ReadOnlySpan<byte> input)
    {
        Span<byte> mac = stackalloc byte[Hmac.MacSize];
        Hmac.Mac(key, input, mac);
        return BinaryPrimitives.ReadUInt128BigEndian(mac);
    }

    /// <summary>A family byte and the address, IPv6 cut to its prefix; IPv4-mapped IPv6 counts as IPv4.</summary>
    private static int Normalize(IPAddress? address, int prefixLength, Span<byte> into)
    {
        into.Clear();
        if (address is null) return 1;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            into[0] = 4;
            address.TryWriteBytes(into[1..], out _);
            return 5;
        }
        into[0] = 6;
        address.TryWriteBytes(into[1..], out _);
        var bytes = into[1..];
        for (var bit = prefixLength; bit < 128; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return 17;
    }
}
