using System.Net;
using System.Net.Http.Headers;
using EdgeVision.Daemon.Http;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class AuthTests
{
    private const string Token = "s3cret-token-for-the-tests-0123";

    private static Dictionary<string, string?> Forced(string? token = Token) => new()
    {
        ["Http:RequireToken"] = "true",
        ["Http:Token"] = token,
    };

    [Theory]
    [InlineData("/api/status")]
    [InlineData("/api/models")]
    [InlineData("/api/predictions")]
    [InlineData("/api/capture/counts")]
    [InlineData("/metrics")]
    [InlineData("/readyz")]
    [InlineData("/stream/cam0")]
    [InlineData("/snapshot/cam0.jpg")]
    public async Task With_auth_on_every_data_endpoint_is_401_without_the_token(string path)
    {
        await using var server = await HttpTestServer.StartAsync(Forced());

        using var response = await server.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("bearer token is required", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_auth_on_the_token_is_accepted_as_header_or_query_and_a_wrong_one_is_not()
    {
        await using var server = await HttpTestServer.StartAsync(Forced());
        using var producer = server.CreateProducer();
        producer.PublishNow(1);

        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        header.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var withHeader = await server.Client.SendAsync(header);
        using var withQuery = await server.Client.GetAsync($"/snapshot/cam0.jpg?token={Token}");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token[..^1] + "X");
        using var withWrong = await server.Client.SendAsync(wrong);
        using var prefixOnly = await server.Client.GetAsync($"/api/status?token={Token[..10]}");

        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefixOnly.StatusCode);
    }

    [Fact]
    public async Task With_auth_on_healthz_and_the_viewer_shell_stay_open()
    {
        await using var server = await HttpTestServer.StartAsync(Forced());

        using var health = await server.Client.GetAsync("/healthz");
        using var page = await server.Client.GetAsync("/");
        using var script = await server.Client.GetAsync("/viewer.js");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task With_auth_off_on_loopback_no_token_is_needed()
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.GetAsync("/api/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_token_one_is_generated_and_required()
    {
        await using var server = await HttpTestServer.StartAsync(Forced(token: null));
        var token = (AccessToken)server.Services.GetService(typeof(AccessToken))!;

        using var anonymous = await server.Client.GetAsync("/api/status");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        using var authorised = await server.Client.SendAsync(request);

        Assert.True(token.Generated);
        Assert.True(token.Value.Length >= 40);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_minted_only_with_the_token_and_lets_reads_through_but_not_writes()
    {
        await using var server = await HttpTestServer.StartAsync(Forced());
        using var producer = server.CreateProducer();
        producer.PublishNow(1);
        var jar = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = server.BaseAddress };

        using var anonymous = await browser.PostAsync("/api/session", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(jar.GetCookies(server.BaseAddress));

        using var mint = new HttpRequestMessage(HttpMethod.Post, "/api/session");
        mint.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var minted = await browser.SendAsync(mint);
        Assert.Equal(HttpStatusCode.NoContent, minted.StatusCode);
        string setCookie = minted.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant();
        Assert.StartsWith("edgevision_token=", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.Contains("path=/", setCookie);

        // Reads with the cookie alone, as an <img> or EventSource sends them.
        using var snapshot = await browser.GetAsync("/snapshot/cam0.jpg");
        using var status = await browser.GetAsync("/api/status");
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        // A write with the cookie alone is refused: it needs the header.
        using var write = await browser.PostAsync("/api/hud", new StringContent("{\"element\":\"graph\",\"visible\":false}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [Fact]
    public async Task A_wrong_session_cookie_is_refused()
    {
        await using var server = await HttpTestServer.StartAsync(Forced());
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Add("Cookie", "edgevision_token=" + Token[..^1] + "X");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost", false)]
    [InlineData("::1", false)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("192.168.1.20", true)]
    public void Binding_beyond_loopback_requires_the_token(string address, bool required)
    {
        Assert.Equal(required, new HttpOptions { Address = address }.TokenRequired);
    }

    [Theory]
    [InlineData("Address", "camera.local", "Http:Address")]
    [InlineData("Token", "short", "Http:Token")]
    [InlineData("MaxStreamFps", "0", "Http:MaxStreamFps = 0 is outside 1..240")]
    [InlineData("Port", "70000", "Http:Port = 70000 is outside 0..65535")]
    [InlineData("MinResponseGraceSeconds", "1", "Http:MinResponseGraceSeconds = 1 must be more than 1 second")]
    public async Task Invalid_options_stop_start_up_naming_the_key(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            HttpTestServer.StartAsync(new Dictionary<string, string?> { ["Http:" + key] = value }));

        Assert.Contains(error.Failures, f => f.Contains(expected));
    }
}
