using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PeerLine.Server.Staff;

namespace PeerLine.Tests.Staff;

public sealed class Argon2idPasswordHasherTests
{
    private static Argon2idPasswordHasher Hasher(int memoryKiB = 19 * 1024, int iterations = 2) =>
        new(Options.Create(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations }));

    [Fact]
    public void Hash_StoresParametersWithTheHash_InPhcFormat()
    {
        var hash = Hasher().HashPassword(new StaffUser(), "a long enough passphrase");

        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
    }

    [Fact]
    public void Hash_SamePasswordTwice_DifferentSalts()
    {
        var hasher = Hasher();
        Assert.NotEqual(hasher.HashPassword(new StaffUser(), "same"), hasher.HashPassword(new StaffUser(), "same"));
    }

    [Fact]
    public void Verify_RightAndWrongPassword()
    {
        var hasher = Hasher();
        var hash = hasher.HashPassword(new StaffUser(), "right password");

        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(new StaffUser(), hash, "right password"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(new StaffUser(), hash, "wrong password"));
    }

    [Fact]
    public void Verify_HashUnderOlderCost_SucceedsButAsksForRehash()
    {
        var old = Hasher(iterations: 2).HashPassword(new StaffUser(), "pw under old cost");

        var verified = Hasher(iterations: 3).VerifyHashedPassword(new StaffUser(), old, "pw under old cost");
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, verified);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$AAAA$AAAA")]
    [InlineData("$argon2id$v=19$m=x,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AQAAAAIAAYagAAAAEB0")] // an ASP.NET Core PBKDF2 hash
    public void Verify_MalformedHash_FailsWithoutThrowing(string stored)
    {
        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(new StaffUser(), stored, "anything"));
    }
}
