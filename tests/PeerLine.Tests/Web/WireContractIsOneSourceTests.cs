using System.Reflection;
using System.Text;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Web;

/// <summary>
/// The browser client's wire strings come from the C# wire contract: src/PeerLine.Web/src/app/wire-contract.js is
/// generated here, by reflection over PeerLine.Protocol.Wire, and must match it byte for byte.
/// </summary>
public sealed class WireContractIsOneSourceTests
{
    private const string ContractFile = "src/PeerLine.Web/src/app/wire-contract.js";
    private const string WriteSwitch = "PEERLINE_WRITE_WIRE_CONTRACT";
    private const string Regenerate =
        WriteSwitch + "=1 dotnet test tests/PeerLine.Tests --filter WireContractIsOneSource";

    [Fact]
    public void WireContractJs_IsGeneratedFromTheProtocolAssembly()
    {
        var expected = WireContractJs.Generate();
        var path = RepositoryFiles.PathOf(ContractFile);
        if (Environment.GetEnvironmentVariable(WriteSwitch) == "1") File.WriteAllText(path, expected);

        var actual = File.Exists(path) ? File.ReadAllText(path) : null;
        Assert.True(
            actual == expected,
            $"{ContractFile} is not what src/PeerLine.Protocol/Wire says. Regenerate it: {Regenerate}\n"
            + FirstDifference(expected, actual));
    }

    [Fact]
    public void Generated_HasEveryHubMethodEventAndCode()
    {
        var text = WireContractJs.Generate();

        Assert.Contains("  RequestSupport: 'RequestSupport',", text, StringComparison.Ordinal);
        Assert.Contains("  ClaimNext: 'ClaimNext',", text, StringComparison.Ordinal);
        Assert.Contains("  QueueMoved: 'QueueMoved',", text, StringComparison.Ordinal);
        Assert.Contains("  CallerPresence: 'CallerPresence',", text, StringComparison.Ordinal);
        Assert.Contains("  NotFound: 'not-found',", text, StringComparison.Ordinal);
        Assert.Contains("  Staff: '/hubs/staff',", text, StringComparison.Ordinal);
        Assert.Equal(
            typeof(ICallerHub).GetMethods().Length + typeof(IStaffHub).GetMethods().Length
            + typeof(ICallerClient).GetMethods().Length + typeof(IStaffClient).GetMethods().Length
            + WireContractJs.CodeClasses().Sum(c => WireContractJs.Constants(c).Count),
            text.Split('\n').Count(line => line.StartsWith("  ", StringComparison.Ordinal)));
    }

    private static string FirstDifference(string expected, string? actual)
    {
        if (actual is null) return "The file does not exist.";
        var want = expected.Split('\n');
        var have = actual.Split('\n');
        for (var i = 0; i < Math.Max(want.Length, have.Length); i++)
        {
            var w = i < want.Length ? want[i] : "(end of file)";
            var h = i < have.Length ? have[i] : "(end of file)";
            if (w != h) return $"First difference at line {i + 1}:\n  expected: {w}\n  actual:   {h}";
        }
        return "The files differ only in line endings.";
    }
}

/// <summary>The text of wire-contract.js, built from the public static classes and hub interfaces of the wire namespace.</summary>
internal static class WireContractJs
{
    public static string Generate()
    {
        var js = new StringBuilder();
        js.Append("// GENERATED from src/PeerLine.Protocol/Wire by WireContractIsOneSourceTests — do not edit.\n");
        js.Append("// Regenerate: PEERLINE_WRITE_WIRE_CONTRACT=1 dotnet test tests/PeerLine.Tests --filter WireContractIsOneSource\n");
        foreach (var codes in CodeClasses()) Export(js, codes.Name, Constants(codes));
        Export(js, "CallerHub", MethodNames(typeof(ICallerHub)));
        Export(js, "StaffHub", MethodNames(typeof(IStaffHub)));
        Export(js, "CallerEvents", MethodNames(typeof(ICallerClient)));
        Export(js, "StaffEvents", MethodNames(typeof(IStaffClient)));
        return js.ToString();
    }

    /// <summary>Every public static class of const strings in the wire namespace: HubRoutes first, then the codes by name.</summary>
    public static IReadOnlyList<Type> CodeClasses() =>
    [
        .. typeof(HubRoutes).Assembly.GetExportedTypes()
            .Where(t => t is { Namespace: "PeerLine.Protocol.Wire", IsClass: true, IsAbstract: true, IsSealed: true })
            .Where(t => Constants(t).Count > 0)
            .OrderBy(t => t == typeof(HubRoutes) ? 0 : 1)
            .ThenBy(t => t.Name, StringComparer.Ordinal),
    ];

    public static IReadOnlyList<(string Name, string Value)> Constants(Type codes) =>
    [
        .. codes.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
            .OrderBy(c => c.Name, StringComparer.Ordinal),
    ];

    private static IReadOnlyList<(string Name, string Value)> MethodNames(Type hub) =>
        [.. hub.GetMethods().Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).Select(name => (name, name))];

    private static void Export(StringBuilder js, string name, IReadOnlyList<(string Name, string Value)> members)
    {
        js.Append('\n').Append("export const ").Append(name).Append(" = Object.freeze({\n");
        foreach (var (member, value) in members)
        {
            if (value.Contains('\'') || value.Contains('\\')) throw new InvalidOperationException($"{name}.{member} needs escaping in JS");
            js.Append("  ").Append(member).Append(": '").Append(value).Append("',\n");
        }
        js.Append("});\n");
    }
}
