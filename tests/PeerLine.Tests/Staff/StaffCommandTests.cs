using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Staff;

/// <summary>The admin commands exactly as an operator scripts them, run as a separate process on the server executable.</summary>
public sealed class StaffCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task AddListDisable_RoundTrip()
    {
        var added = await RunAsync("a long staff passphrase\n", "staff", "add", "--login", "nia", "--role", "lead", "--data", _data);
        Assert.Equal(0, added.Exit);
        Assert.Contains("added nia (lead)", added.Out);

        var listed = await RunAsync(null, "staff", "list", "--data", _data);
        Assert.Equal(0, listed.Exit);
        Assert.Contains("nia\tlead\tactive", listed.Out);

        var disabled = await RunAsync(null, "staff", "disable", "--login", "nia", "--data", _data);
        Assert.Equal(0, disabled.Exit);
        Assert.Contains("nia\tlead\tdisabled", (await RunAsync(null, "staff", "list", "--data", _data)).Out);
        Assert.DoesNotContain("a long staff passphrase", File.ReadAllText(Directory.GetFiles(_data, "peerline.db*").First()));
    }

    [Theory]
    [InlineData("a long staff passphrase\n", "add", "--login", "x", "--role", "superuser")]
    [InlineData("short\n", "add", "--login", "y", "--role", "supporter")]
    [InlineData("", "add", "--login", "z", "--role", "supporter")]
    [InlineData(null, "disable", "--login", "ghost")]
    public async Task BadInput_NonZeroExit_ClearMessage(string? stdin, params string[] args)
    {
        var result = await RunAsync(stdin, ["staff", .. args, "--data", _data]);

        Assert.NotEqual(0, result.Exit);
        Assert.StartsWith("error:", result.Err.Trim());
    }

    [Fact]
    public async Task UnknownVerb_Usage_Exit2()
    {
        var result = await RunAsync(null, "staff", "promote", "--data", _data);
        Assert.Equal(2, result.Exit);
        Assert.Contains("usage:", result.Err);
    }

    private static Task<(int Exit, string Out, string Err)> RunAsync(string? stdin, params string[] args) => ServerCommand.RunAsync(stdin, args);
}
