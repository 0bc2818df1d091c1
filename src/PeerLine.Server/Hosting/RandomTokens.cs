using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PeerLine.Server.Hosting;

public static class RandomTokens
{
    /// <summary>Unguessable base64url text of <paramref name="bytes"/> random bytes.</summary>
    public static string Create(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
