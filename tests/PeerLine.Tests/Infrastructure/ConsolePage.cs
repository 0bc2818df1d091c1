using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Infrastructure;

/// <summary>The supporter console as a supporter at a desk uses it, keyboard included.</summary>
public sealed class ConsolePage(IPage page)
{
    public IPage Page => page;

    /// <summary>A new staff member signed in on a fresh browser profile, device key enrolled and certified, on shift.</summary>
    public static async Task<ConsolePage> OnShiftAsync(Chromium chromium, PeerLineApp app, string login, string role = PeerLine.Server.Staff.StaffRoles.Supporter)
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
            var state = await page.EvaluateAsync<string>("() => JSON.stringify({ ...document.body.dataset, error: document.querySelector('#desk-error')?.textContent })");
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
}
