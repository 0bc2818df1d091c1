using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Web;

/// <summary>
/// Every test class that drives Chromium carries the trait Category=Browser, so a fast local loop can leave the
/// browser out: <c>dotnet test --filter "Category!=Browser"</c>.
/// </summary>
public sealed class BrowserTestsAreTaggedTests
{
    [Fact]
    public void EveryClassThatUsesChromium_IsTaggedBrowser_AndOnlyThose()
    {
        var classes = typeof(BrowserTestsAreTaggedTests).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract).ToList();
        var usingChromium = classes.Where(UsesChromium).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
        var tagged = classes.Where(IsTaggedBrowser).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(usingChromium);
        Assert.Equal(usingChromium, tagged);
    }

    private static bool UsesChromium(Type type) =>
        type.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Chromium)))
        || type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CollectionAttribute)
            && a.ConstructorArguments is [{ Value: BrowserCollection.Name }]);

    private static bool IsTaggedBrowser(Type type) =>
        type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments is [{ Value: "Category" }, { Value: "Browser" }]);
}
