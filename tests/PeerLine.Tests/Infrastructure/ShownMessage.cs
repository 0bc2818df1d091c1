using System.Text.Json;
using Microsoft.Playwright;

namespace PeerLine.Tests.Infrastructure;

/// <summary>
/// One message as a page shows it: its text, the end-to-end message id (<c>data-message-id</c>, hex) and, for one
/// the page sent, its delivery status (<c>data-status</c>: sending, sent, delivered, undelivered or failed).
/// </summary>
public sealed record ShownMessage(string Text, string? Id, string? Status)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The messages the locator matches, in page order.</summary>
    public static async Task<IReadOnlyList<ShownMessage>> ReadAsync(ILocator messages)
    {
        var json = await messages.EvaluateAllAsync<string>(
            "items => JSON.stringify(items.map(e => ({ text: e.querySelector('p')?.textContent ?? '', "
            + "id: e.dataset.messageId ?? null, status: e.dataset.status ?? null })))");
        return JsonSerializer.Deserialize<ShownMessage[]>(json, Json)!;
    }

    /// <summary>
    /// Waits until every expected text is shown (as often as it is expected) and returns what the page shows then;
    /// the caller asserts the exact list. On timeout the test fails with the list and the page's state.
    /// </summary>
    public static async Task<IReadOnlyList<ShownMessage>> UntilShownAsync(Func<Task<IReadOnlyList<ShownMessage>>> read,
        IReadOnlyList<string> expected, Func<Task<string>> pageState, string because, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Default);
        while (true)
        {
            var shown = await read();
            if (Covers(shown.Select(m => m.Text), expected)) return shown;
            if (cts.IsCancellationRequested)
                Assert.Fail($"Timed out waiting: {because}\nexpected: {string.Join(" | ", expected)}\nshown: {Describe(shown)}\n"
                    + $"page: {await pageState()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until each of the texts, among the messages a page sent, has the status given.</summary>
    public static async Task UntilStatusAsync(Func<Task<IReadOnlyList<ShownMessage>>> read, IReadOnlyList<string> texts,
        string status, Func<Task<string>> pageState, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Default);
        while (true)
        {
            var sent = await read();
            if (texts.All(t => sent.Any(m => m.Text == t && m.Status == status))) return;
            if (cts.IsCancellationRequested)
                Assert.Fail($"Timed out waiting for \"{status}\" on: {string.Join(" | ", texts)}\nsent: {Describe(sent)}\npage: {await pageState()}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits until the receiver shows each of the texts and the sender marks each one delivered, checking on every
    /// look that the sender never says "Delivered" on one of them while the receiver does not show it. The sender is
    /// read first: a receiver that does not reload only adds messages, so what it shows a moment later includes
    /// everything a receipt the sender had could stand for.
    /// </summary>
    public static async Task UntilDeliveredAsync(Func<Task<IReadOnlyList<ShownMessage>>> written, Func<Task<IReadOnlyList<ShownMessage>>> shown,
        IReadOnlyList<string> texts, Func<Task<string>> pagesState, string because, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Default);
        while (true)
        {
            var sent = await written();
            var seen = await shown();
            var seenTexts = seen.Select(m => m.Text).ToHashSet();
            var falselyDelivered = sent.Where(m => m.Status == "delivered" && texts.Contains(m.Text) && !seenTexts.Contains(m.Text)).ToList();
            if (falselyDelivered.Count > 0)
                Assert.Fail($"\"Delivered\" on what the other side does not show: {Describe(falselyDelivered)}\n"
                    + $"shown there: {Describe(seen)}\npages: {await pagesState()}");
            if (texts.All(t => seenTexts.Contains(t) && sent.Any(m => m.Text == t && m.Status == "delivered"))) return;
            if (cts.IsCancellationRequested)
                Assert.Fail($"Timed out waiting: {because}\nwritten: {Describe(sent)}\nshown there: {Describe(seen)}\npages: {await pagesState()}");
            await Task.Delay(50);
        }
    }

    public static string Describe(IEnumerable<ShownMessage> messages) =>
        string.Join(" | ", messages.Select(m => $"{m.Text} [{m.Status ?? "-"} {m.Id ?? "no id"}]"));

    private static bool Covers(IEnumerable<string> shown, IReadOnlyList<string> expected)
    {
        var counts = shown.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        return expected.GroupBy(t => t).All(g => counts.GetValueOrDefault(g.Key) >= g.Count());
    }
}
