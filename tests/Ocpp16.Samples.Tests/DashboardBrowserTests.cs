using Microsoft.Playwright;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// The dashboard at / in a real browser: headless Debian Chromium (<c>/usr/bin/chromium</c>, installed by .ci/run)
/// driven by Playwright. Starts MinimalCsms with <c>--simulate 1</c> (the simulated charger plugs its connectors and
/// waits), sees SIM-1 appear, starts a remote transaction from the command form and sees it charging.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Timeout = 30_000;

    [Fact]
    public async Task Dashboard_shows_the_simulated_charger_and_starts_a_remote_transaction_that_charges()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        await using var rig = await Rig.StartAsync("--simulate", "1", "--Simulation:AutoCharge=false", "--Csms:MeterValueSampleInterval=1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Timeout = Timeout,
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        await page.GotoAsync($"http://127.0.0.1:{rig.Api.Port}/");

        // The simulated charger appears, live, with its connectors plugged (Preparing).
        var row = page.Locator("#chargepoints tr[data-chargepoint='SIM-1']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(row.Locator(".connector[data-connector='1']")).ToHaveAttributeAsync("data-status", "Preparing", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live", new() { Timeout = Timeout });

        // Start a transaction from the command form.
        await page.Locator("#command-chargepoint").SelectOptionAsync("SIM-1");
        await page.Locator("#command-action").SelectOptionAsync("RemoteStartTransaction");
        await page.Locator("#command-payload").FillAsync("""{"idTag":"DEMO-TAG-1","connectorId":1}""");
        await page.Locator("#command-send").ClickAsync();
        await Assertions.Expect(page.Locator("#command-result")).ToContainTextAsync("\"Accepted\"", new() { Timeout = Timeout });

        // It charges: the connector turns Charging and the transaction shows up with energy growing.
        await Assertions.Expect(row.Locator(".connector[data-connector='1']")).ToHaveAttributeAsync("data-status", "Charging", new() { Timeout = Timeout });
        var transaction = page.Locator("#transactions tr[data-chargepoint='SIM-1'][data-connector='1']");
        await Assertions.Expect(transaction).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(transaction.Locator("td.energy")).Not.ToHaveTextAsync("0", new() { Timeout = Timeout });

        // The message log shows the command and the charger's messages.
        await page.Locator("#log-chargepoint").SelectOptionAsync("SIM-1");
        await Assertions.Expect(page.Locator("#log tbody")).ToContainTextAsync("StartTransaction", new() { Timeout = Timeout });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "ocpp16-dashboard.png"), FullPage = true });
    }
}
