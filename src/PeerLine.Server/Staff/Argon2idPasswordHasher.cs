using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace PeerLine.Server.Staff;

/// <summary>
/// Argon2id (NSec/libsodium) in the PHC string format: <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>.
/// The parameters travel with the hash, so raising them only makes old hashes "rehash needed".
/// </summary>
public sealed class Argon2idPasswordHasher(IOptions<PasswordHashingOptions> options) : IPasswordHasher<StaffUser>
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Prefix = "$argon2id$v=19$";

    public string HashPassword(StaffUser user, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var cost = Current;
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, cost);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}m={cost.MemoryKiB},t={cost.Iterations},p={cost.Parallelism}${B64(salt)}${B64(hash)}");
    }

    public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
    {
        if (hashedPassword is null || providedPassword is null || !TryParse(hashedPassword, out var cost, out var salt, out var expected))
            return PasswordVerificationResult.Failed;

        var actual = Derive(providedPassword, salt, cost);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            return PasswordVerificationResult.Failed;

        return cost == Current ? PasswordVerificationResult.Success : PasswordVerificationResult.SuccessRehashNeeded;
    }

    private Cost Current => new(options.Value.MemoryKiB, options.Value.Iterations, options.Value.Parallelism);

    private static byte[] Derive(string password, byte[] salt, Cost cost)
    {
        var parameters = new Argon2Parameters
        {
            MemorySize = cost.MemoryKiB,
            NumberOfPasses = cost.Iterations,
            DegreeOfParallelism = cost.Parallelism,
        };
        return PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters).DeriveBytes(password, salt, HashBytes);
    }

    private static bool TryParse(string phc, out Cost cost, out byte[] salt, out byte[] hash)
    {
        cost = default;
        salt = hash = [];
        if (!phc.StartsWith(Prefix, StringComparison.Ordinal)) return false;

        var parts = phc[Prefix.Length..].Split('$');
        if (parts.Length != 3) return false;

        int m = 0, t = 0, p = 0;
        foreach (var pair in parts[0].Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return false;
            switch (kv[0])
            {
                case "m": m = value; break;
                case "t": t = value; break;
                case "p": p = value; break;
                default: return false;
            }
        }
        if (m < 8 || t < 1 || p != 1) return false;

        try
        {
            salt = FromB64(parts[1]);
            hash = FromB64(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (salt.Length != SaltBytes || hash.Length != HashBytes) return false;

        cost = new Cost(m, t, p);
        return true;
    }

    // PHC strings use standard base64 without padding.
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));

    private readonly record struct Cost(int MemoryKiB, int Iterations, int Parallelism);
}
