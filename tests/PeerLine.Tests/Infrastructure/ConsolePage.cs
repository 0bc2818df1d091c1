using Microsoft.Playwright;
using PeerLine.Protocol.Wire;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Infrastructure;

/// <summary>The supporter console as a supporter at a desk uses it, keyboard included.</summary>
public sealed class ConsolePage(IPage page)
{
    public IPage Page => page;

    /// <summary>A new staff member signed in on a fresh browser profile, device key enrolled and certified, on shift.</summary>
    public static async Task<ConsolePage> OnShiftAsync(Chromium chromium, PeerLineApp app, string login, string role = StaffRoles.Supporter)
    {
        await app.CreateStaffAsync(login, role);
        var console = await new ConsolePage(await chromium.NewPageAsync(1440, 900)).SignInAsync(app.BaseAddress, login);
        await console.EnrolAsync(() => app.CertifyAsync(login));
        await console.StartShiftAsync();
        return console;
    }

    /// <summary>Signs in on /staff and waits for the device step (enrolment or the desk).</summary>
    public async Task<ConsolePage> SignInAsync(Uri server, string login, string password = PeerLineApp.Password)
    {
        await page.GotoAsync(new Uri(server, "/staff").ToString());
        await page.GetByLabel("Login").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("body[data-enrolment]")).ToHaveCountAsync(1);
        return this;
    }

    /// <summary>First sign-in on this browser: the key awaits certification until <paramref name="certify"/> runs.</summary>
    public async Task EnrolAsync(Func<Task> certify)
    {
        await Expect(page.Locator("#enrol-status")).ToHaveTextAsync("Your device key awaits certification.");
        await certify();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check again" }).ClickAsync();
        await Expect(page.Locator("#desk")).ToBeVisibleAsync();
    }

    public async Task StartShiftAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Start shift" }).ClickAsync();
        try
        {
            await Expect(page.Locator("body[data-shift=on]")).ToHaveCountAsync(1);
        }
        catch (PlaywrightException e)
        {
            // Say what the page says: the console shows why a shift did not start.
            var state = await page.EvaluateAsync<string>(
                "() => JSON.stringify({ ...document.body.dataset, error: document.querySelector('#desk-error')?.textContent })");
            throw new PlaywrightException($"{e.Message}\nconsole state: {state}");
        }
    }

    public async Task WaitForWaitingAsync(int count) => await Expect(page.Locator("body")).ToHaveAttributeAsync("data-waiting", count.ToString());

    /// <summary>Takes the head of the queue with the keyboard shortcut and returns the new chat pane.</summary>
    public async Task<ILocator> TakeNextAsync()
    {
        var before = await page.Locator(".chat-pane").CountAsync();
        await page.Keyboard.PressAsync("Alt+N");
        await Expect(page.Locator(".chat-pane")).ToHaveCountAsync(before + 1);
        var session = await page.Locator(".chat-pane").Nth(before).GetAttributeAsync("data-session");
        return page.Locator($".chat-pane[data-session='{session}']"); // stays this chat when others go
    }

    public static async Task<string> SafetyCodeAsync(ILocator pane)
    {
        await Expect(pane).ToHaveAttributeAsync("data-secure", "true");
        return (await pane.Locator(".safety .code").TextContentAsync())!;
    }

    public static async Task SendAsync(ILocator pane, string text)
    {
        await pane.Locator("textarea").FillAsync(text);
        await pane.Locator("textarea").PressAsync("Enter");
    }

    public static Task<IReadOnlyList<string>> ReceivedAsync(ILocator pane) => pane.Locator(".msg.in p").AllTextContentsAsync();

    public static Task WaitForReceivedAsync(ILocator pane, params string[] texts) =>
        Waits.UntilAsync(async () => texts.All((await ReceivedAsync(pane)).Contains), because: "the supporter sees the caller's messages");

    public static async Task CloseAsync(ILocator pane, string dispositionLabel)
    {
        await pane.GetByText("Transfer or close").ClickAsync();
        await pane.Locator("select[aria-label^='Outcome']").SelectOptionAsync(new SelectOptionValue { Label = dispositionLabel });
        await pane.GetByRole(AriaRole.Button, new() { Name = "Close chat" }).ClickAsync();
        await Expect(pane).ToHaveCountAsync(0);
    }

    // ---- Counting what a chat pane shows, and what happens to the console (issue 10)

    /// <summary>The caller's messages as the pane shows them, in order.</summary>
    public static Task<IReadOnlyList<ShownMessage>> FromCallerAsync(ILocator pane) => ShownMessage.ReadAsync(pane.Locator(".msg.in"));

    /// <summary>What this supporter (or lead) wrote in the pane, with each message's delivery status, in order.</summary>
    public static Task<IReadOnlyList<ShownMessage>> WrittenAsync(ILocator pane) => ShownMessage.ReadAsync(pane.Locator(".msg.out"));

    /// <summary>
    /// Writes the messages as fast as Enter can be pressed: all in one turn of the page, so none has left the device
    /// when this returns. Fails if the composer is disabled.
    /// </summary>
    public static Task SendQuicklyAsync(ILocator pane, IEnumerable<string> texts) => pane.EvaluateAsync(@"(pane, texts) => {
        const input = pane.querySelector('textarea');
        if (input.disabled) throw new Error('the composer is disabled');
        for (const text of texts) {
          input.value = text;
          pane.querySelector('form.composer').requestSubmit();
        }
      }", texts.ToArray());

    /// <summary>Reloads the console and waits until it is back at the desk, still on shift.</summary>
    public async Task ReloadAsync()
    {
        await page.ReloadAsync();
        await Expect(page.Locator("body[data-shift=on]")).ToHaveCountAsync(1);
    }

    /// <summary>Leaves the console for a plain page of the same site: its connection closes, the browser keeps its storage.</summary>
    public async Task LeaveAsync(Uri server) => await page.GotoAsync(new Uri(server, "/api/version").ToString());

    /// <summary>
    /// While away (<see cref="LeaveAsync"/>): the browser loses what the console kept of its chats (the per-session
    /// store of the console's database; the device key stays). Returns how many chats were kept.
    /// </summary>
    public Task<int> ForgetKeptChatsAsync() => page.EvaluateAsync<int>(@"() => new Promise((resolve, reject) => {
        const open = indexedDB.open('peerline-staff');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('lanes')) { db.close(); resolve(0); return; }
          const transaction = db.transaction('lanes', 'readwrite');
          const count = transaction.objectStore('lanes').count();
          count.onsuccess = () => transaction.objectStore('lanes').clear();
          transaction.oncomplete = () => { db.close(); resolve(count.result); };
          transaction.onerror = () => reject(transaction.error);
        };
      })");

    /// <summary>Opens the console again after <see cref="LeaveAsync"/>: still signed in and on shift.</summary>
    public async Task ComeBackAsync(Uri server)
    {
        await page.GotoAsync(new Uri(server, "/staff").ToString());
        await Expect(page.Locator("body[data-shift=on]")).ToHaveCountAsync(1);
    }

    /// <summary>Hands the chat to a colleague on shift by login; the pane leaves this console.</summary>
    public static async Task TransferAsync(ILocator pane, string login)
    {
        await pane.GetByText("Transfer or close").ClickAsync();
        await pane.Locator("input[aria-label^='Transfer']").FillAsync(login);
        await pane.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true }).ClickAsync();
        await Expect(pane).ToHaveCountAsync(0);
    }

    /// <summary>Puts the chat back at the head of the queue; the pane leaves this console.</summary>
    public static async Task ReturnToQueueAsync(ILocator pane)
    {
        await pane.GetByText("Transfer or close").ClickAsync();
        await pane.GetByRole(AriaRole.Button, new() { Name = "Return to queue" }).ClickAsync();
        await Expect(pane).ToHaveCountAsync(0);
    }

    /// <summary>Asks the caller whether the lead (on shift) may join.</summary>
    public static async Task AskALeadToJoinAsync(ILocator pane, string login)
    {
        await pane.GetByText("Ask a lead to join").ClickAsync();
        await pane.Locator("input[aria-label^='Lead to invite']").FillAsync(login);
        await pane.GetByRole(AriaRole.Button, new() { Name = "Ask the caller" }).ClickAsync();
    }

    /// <summary>Waits for a chat that came to this console without a claim here (a transfer, a lead let in).</summary>
    public async Task<ILocator> WaitForChatAsync()
    {
        await Expect(page.Locator(".chat-pane")).ToHaveCountAsync(1);
        var session = await page.Locator(".chat-pane").GetAttributeAsync("data-session");
        return page.Locator($".chat-pane[data-session='{session}']");
    }

    /// <summary>The sessions waiting in the queue as this console lists them, head first.</summary>
    public async Task<IReadOnlyList<string>> QueueAsync() =>
        (await page.Locator("#queue .queue-entry").EvaluateAllAsync<string[]>("items => items.map(e => e.dataset.session)")).ToList();

    /// <summary>
    /// Whether the pane says the caller is connected (<c>data-caller</c>); away, it also says so in words.
    /// </summary>
    public static async Task WaitForCallerAsync(ILocator pane, bool present, TimeSpan? timeout = null)
    {
        var options = new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)(timeout ?? Waits.Default).TotalMilliseconds };
        await Expect(pane).ToHaveAttributeAsync("data-caller", present ? "present" : "away", options);
        var line = pane.GetByText("The caller is away. The chat continues when they return.");
        if (present) await Expect(line).ToBeHiddenAsync();
        else await Expect(line).ToBeVisibleAsync();
    }

    /// <summary>The console's state for a failure message: body data attributes, each pane's attributes, notes and messages.</summary>
    public Task<string> StateAsync() => page.EvaluateAsync<string>(@"() => JSON.stringify({
        body: { ...document.body.dataset },
        panes: [...document.querySelectorAll('.chat-pane')].map(p => ({
          ...p.dataset,
          safetyCode: p.querySelector('.safety .code')?.textContent,
          notes: [...p.querySelectorAll('.note')].map(n => n.textContent),
          error: p.querySelector('.error:not([hidden])')?.textContent,
          messages: [...p.querySelectorAll('.msg')].map(m => ({ cls: m.className, ...m.dataset, text: m.querySelector('p')?.textContent })),
        })),
      })");
}
