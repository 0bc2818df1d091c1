using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Infrastructure;

/// <summary>The caller page as a person on a phone uses it: by its visible controls.</summary>
public sealed class CallerPage(IPage page)
{
    public IPage Page => page;

    public async Task<CallerPage> OpenAsync(Uri server)
    {
        await page.GotoAsync(server.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Talk with a physician peer, anonymously" })).ToBeVisibleAsync();
        return this;
    }

    public async Task AskForSupportAsync(string topic = "An adverse event or error", bool now = true, bool inDanger = false)
    {
        await AnswerTheScreenAsync(topic, now, inDanger);
        await Expect(page.Locator("body[data-state]")).ToHaveCountAsync(1); // the server has the request
    }

    /// <summary>Start, the three questions, and "Find a peer supporter".</summary>
    public async Task AnswerTheScreenAsync(string topic = "An adverse event or error", bool now = true, bool inDanger = false)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await page.GetByLabel(topic).CheckAsync();
        await page.GetByLabel(now ? "As soon as possible" : "Sometime today is fine").CheckAsync();
        await page.Locator($"input[name=safety][value={(inDanger ? "yes" : "no")}]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Find a peer supporter" }).ClickAsync();
    }

    /// <summary>Waits for the secure chat and returns the safety code the caller sees.</summary>
    public async Task<string> SafetyCodeAsync()
    {
        await Expect(page.Locator("body[data-secure=true]")).ToHaveCountAsync(1);
        return (await page.Locator("#safety-code").TextContentAsync())!;
    }

    public async Task SendAsync(string text)
    {
        await page.Locator("#message").FillAsync(text);
        await page.Locator("#message").PressAsync("Enter");
    }

    public Task<IReadOnlyList<string>> ReceivedAsync() => page.Locator("#messages .msg.in p").AllTextContentsAsync();

    public Task<IReadOnlyList<string>> SentAsync() => page.Locator("#messages .msg.out p").AllTextContentsAsync();

    public Task WaitForReceivedAsync(params string[] texts) =>
        Waits.UntilAsync(async () => texts.All((await ReceivedAsync()).Contains), because: "the caller sees the supporter's messages");

    /// <summary>Every sent message reaches "Delivered".</summary>
    public Task WaitAllDeliveredAsync(int count) =>
        Expect(page.Locator("#messages .msg.out[data-status=delivered]")).ToHaveCountAsync(count);

    public async Task EndAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "End chat" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, end the chat" }).ClickAsync();
        await Expect(page.Locator("#ended")).ToBeVisibleAsync();
    }

    /// <summary>The end step's anonymous questions: picks the answers given (by their labels; null skips one) and sends them.</summary>
    public async Task GiveFeedbackAsync(string? helped, string? wouldReturn)
    {
        var form = page.Locator("#feedback");
        await Expect(form).ToBeVisibleAsync();
        if (helped is not null) await Question("Did talking here help?").GetByLabel(helped, new() { Exact = true }).CheckAsync();
        if (wouldReturn is not null)
            await Question("Would you reach out to PeerLine again?").GetByLabel(wouldReturn, new() { Exact = true }).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Send answers" }).ClickAsync();
        await Expect(page.Locator("#feedback-thanks")).ToHaveTextAsync("Thank you.");
    }

    private ILocator Question(string text) => page.Locator("#feedback").GetByRole(AriaRole.Group, new() { Name = text });

    public Task<int> SessionStorageLengthAsync() => page.EvaluateAsync<int>("() => sessionStorage.length");

    /// <summary>What the page keeps in IndexedDB (database peerline-caller): how many records, whether any state key
    /// could be read out, and whether any of <paramref name="texts"/> is in a record's bytes in plain UTF-8.</summary>
    public Task<KeptState> KeptOnTheDeviceAsync(params string[] texts) => page.EvaluateAsync<KeptState>("""
        async (texts) => {
          const names = (await indexedDB.databases()).map((d) => d.name);
          if (!names.includes('peerline-caller')) return { records: 0, keyExtractable: false, plaintextFound: false };
          const db = await new Promise((resolve, reject) => {
            const r = indexedDB.open('peerline-caller');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          if (!db.objectStoreNames.contains('sessions')) { db.close(); return { records: 0, keyExtractable: false, plaintextFound: false }; }
          const records = await new Promise((resolve) => {
            const r = db.transaction('sessions').objectStore('sessions').getAll();
            r.onsuccess = () => resolve(r.result);
          });
          db.close();
          const latin = (bytes) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
          const plain = records.map((r) => latin(new Uint8Array(r.data))).join('');
          return {
            records: records.length,
            keyExtractable: records.some((r) => !(r.stateKey instanceof CryptoKey) || r.stateKey.extractable || r.keys.some((k) => k.extractable)),
            plaintextFound: texts.some((t) => plain.includes(t)),
          };
        }
        """, texts);

    public sealed class KeptState
    {
        public int Records { get; set; }
        public bool KeyExtractable { get; set; }
        public bool PlaintextFound { get; set; }
    }

    // ---- Counting what the page shows, and what happens to the page (issue 10)

    /// <summary>The supporter's messages as shown (a lead's are not among them), in page order.</summary>
    public Task<IReadOnlyList<ShownMessage>> FromSupporterAsync() => ShownMessage.ReadAsync(page.Locator("#messages .msg.in:not(.from-other)"));

    /// <summary>A lead's messages as shown (marked "Lead"), in page order.</summary>
    public Task<IReadOnlyList<ShownMessage>> FromLeadAsync() => ShownMessage.ReadAsync(page.Locator("#messages .msg.in.from-other"));

    /// <summary>What the caller wrote, with each message's delivery status, in page order.</summary>
    public Task<IReadOnlyList<ShownMessage>> WrittenAsync() => ShownMessage.ReadAsync(page.Locator("#messages .msg.out"));

    /// <summary>
    /// Writes the messages as fast as Enter can be pressed: all in one turn of the page, so none has left the device
    /// when this returns. Fails if the composer is disabled (the page would not let a person write).
    /// </summary>
    public Task SendQuicklyAsync(IEnumerable<string> texts) => page.EvaluateAsync(@"texts => {
        const input = document.querySelector('#message');
        if (input.disabled) throw new Error('the composer is disabled');
        for (const text of texts) {
          input.value = text;
          document.querySelector('#composer').requestSubmit();
        }
      }", texts.ToArray());

    /// <summary>The tab reloads (a phone that reclaimed it, or a person pulling down to refresh).</summary>
    public async Task ReloadAsync() => await page.ReloadAsync();

    /// <summary>The browser loses its network (Chromium's offline emulation: requests fail, sockets go silent).</summary>
    public Task GoOfflineAsync() => page.Context.SetOfflineAsync(true);

    public Task GoOnlineAsync() => page.Context.SetOfflineAsync(false);

    public Task WaitReconnectingAsync() => Expect(page.Locator("body[data-connection=reconnecting]")).ToHaveCountAsync(1);

    public Task WaitConnectedAsync() => Expect(page.Locator("body[data-connection=connected]")).ToHaveCountAsync(1);

    /// <summary>Answers the supporter's question whether a lead may join with yes.</summary>
    public async Task LetTheLeadJoinAsync() =>
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, they may join" }).ClickAsync();

    public async Task WaitAskedAboutALeadAsync() => await Expect(page.Locator("#lead-consent")).ToBeVisibleAsync();

    /// <summary>The page's state for a failure message: body data attributes, the safety code, notes and messages.</summary>
    public Task<string> StateAsync() => page.EvaluateAsync<string>(@"() => JSON.stringify({
        body: { ...document.body.dataset },
        safetyCode: document.querySelector('#safety-code')?.textContent,
        position: document.querySelector('#position')?.textContent,
        notes: [...document.querySelectorAll('#messages .note')].map(n => n.textContent),
        messages: [...document.querySelectorAll('#messages .msg')]
          .map(m => ({ cls: m.className, ...m.dataset, text: m.querySelector('p')?.textContent })),
      })");
}
