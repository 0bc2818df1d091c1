using PeerLine.Protocol.CommandLine;

namespace PeerLine.Tests.Cli;

/// <summary>The option rule both command lines share (<c>peerline …</c> and the server's <c>staff …</c>, <c>audit …</c>).</summary>
public sealed class CommandOptionsTests
{
    [Fact]
    public void NameValuePairs_ByNameWithoutDashes_LastRepeatWins()
    {
        var options = CommandOptions.Parse(["--login", "ana", "--data", "/srv/peerline", "--login", "bo"]);

        Assert.NotNull(options);
        Assert.Equal(2, options.Count);
        Assert.Equal("bo", options["login"]);
        Assert.Equal("/srv/peerline", options["data"]);
    }

    [Fact]
    public void NoArguments_NoOptions()
    {
        var options = CommandOptions.Parse([]);

        Assert.NotNull(options);
        Assert.Empty(options);
    }

    [Theory]
    [InlineData("--login")]
    [InlineData("login", "ana")]
    [InlineData("--login", "ana", "extra")]
    [InlineData("-l", "ana")]
    public void NotAllNameValuePairs_Null(params string[] args) => Assert.Null(CommandOptions.Parse(args));

    [Fact]
    public void ValueThatLooksLikeAnOption_IsTheValue()
    {
        var options = CommandOptions.Parse(["--message", "--not-an-option"]);

        Assert.Equal("--not-an-option", options!["message"]);
    }
}
