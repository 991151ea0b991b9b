using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class BadInputTests
{
    private static async Task<string> ReasonAsync(HttpResponseMessage response)
    {
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string reason = json.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(reason));
        return reason;
    }

    private static string[] FilesUnder(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "*", SearchOption.AllDirectories) : [];

    [Theory]
    [InlineData("/stream/nope")]
    [InlineData("/stream/nope/raw")]
    [InlineData("/snapshot/nope.jpg")]
    [InlineData("/snapshot/nope/raw.jpg")]
    public async Task Unknown_source_is_404_naming_the_known_sources(string path)
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        string reason = await ReasonAsync(response);
        Assert.Contains("nope", reason);
        Assert.Contains("cam0", reason);
    }

    [Theory]
    [InlineData("fps=0")]
    [InlineData("fps=-3")]
    [InlineData("fps=fast")]
    [InlineData("width=0")]
    [InlineData("width=99999999999999")]
    public async Task Bad_stream_parameters_are_400_with_the_reason(string query)
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.GetAsync("/stream/cam0?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(query.Split('=')[0], await ReasonAsync(response));
    }

    [Theory]
    [InlineData("../../etc", "..")]
    [InlineData("..", "..")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("a/b", "separator")]
    [InlineData("a\\b", "separator")]
    [InlineData("bad\u0000name", "control")]
    [InlineData("tab\there", "control")]
    [InlineData(".hidden", "start with '.'")]
    [InlineData("semi;colon", "';'")]
    public async Task Capture_with_a_bad_label_is_400_and_writes_nothing(string label, string reasonPart)
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.PublishNow(1);

        using var response = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reasonPart, await ReasonAsync(response));
        Assert.Empty(FilesUnder(server.WorkDir));
    }

    [Fact]
    public async Task Capture_with_a_10_KB_label_is_refused_for_its_length()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.PublishNow(1);

        using var response = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = new string('x', 10_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 64", await ReasonAsync(response));
        Assert.Empty(FilesUnder(server.WorkDir));
    }

    [Fact]
    public async Task Huge_bodies_are_413_on_every_post_endpoint()
    {
        await using var server = await HttpTestServer.StartAsync();
        string huge = JsonSerializer.Serialize(new { source = "cam0", label = "Bag", name = "x", padding = new string('p', 200_000) });

        foreach (string path in new[] { "/api/capture", "/api/models/active", "/api/hud" })
        {
            using var content = new StringContent(huge, Encoding.UTF8, "application/json");
            using var response = await server.Client.PostAsync(path, content);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("larger than", await ReasonAsync(response));
        }
        Assert.Empty(FilesUnder(server.WorkDir));
    }

    [Fact]
    public async Task Huge_chunked_body_without_a_length_is_also_413()
    {
        await using var server = await HttpTestServer.StartAsync();
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"label\":\"" + new string('a', 100_000) + "\"}"));
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/capture") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("not json", "application/json", 400)]
    [InlineData("", "application/json", 400)]
    [InlineData("null", "application/json", 400)]
    [InlineData("[1,2]", "application/json", 400)]
    [InlineData("label=Bag", "application/x-www-form-urlencoded", 415)]
    public async Task Malformed_bodies_are_4xx_with_the_reason(string body, string contentType, int status)
    {
        await using var server = await HttpTestServer.StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await server.Client.PostAsync("/api/capture", content);

        Assert.Equal(status, (int)response.StatusCode);
        await ReasonAsync(response);
    }

    [Fact]
    public async Task Capture_of_an_unknown_source_is_404_and_of_a_source_without_frames_409()
    {
        await using var server = await HttpTestServer.StartAsync();
        server.CreateProducer();

        using var unknown = await server.Client.PostAsJsonAsync("/api/capture", new { source = "../cam0", label = "Bag" });
        using var noFrame = await server.Client.PostAsJsonAsync("/api/capture", new { source = "cam0", label = "Bag" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("unknown source", await ReasonAsync(unknown));
        Assert.Equal(HttpStatusCode.Conflict, noFrame.StatusCode);
        Assert.Contains("no frame", await ReasonAsync(noFrame));
        Assert.Empty(FilesUnder(server.WorkDir));
    }

    [Fact]
    public async Task Unknown_model_is_404_listing_the_available_ones_and_nothing_is_switched()
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.PostAsJsonAsync("/api/models/active", new { name = "resnet152.onnx" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(FakeDaemonControl.GoodModel, await ReasonAsync(response));
        Assert.Equal(0, server.Control.SwitchCalls);
        Assert.Equal(FakeDaemonControl.GoodModel, server.Control.ActiveModel);
    }

    [Theory]
    [InlineData("../models/x.onnx", "not a path")]
    [InlineData("", "required")]
    public async Task Model_name_that_is_a_path_or_empty_is_400(string name, string reasonPart)
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.PostAsJsonAsync("/api/models/active", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reasonPart, await ReasonAsync(response));
        Assert.Equal(0, server.Control.SwitchCalls);
    }

    [Fact]
    public async Task Model_that_fails_to_load_is_422_with_the_reason_and_the_old_one_keeps_serving()
    {
        await using var server = await HttpTestServer.StartAsync();

        using var response = await server.Client.PostAsJsonAsync("/api/models/active", new { name = FakeDaemonControl.BrokenModel });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        string reason = await ReasonAsync(response);
        Assert.Contains("protobuf parsing failed", reason);
        Assert.Contains("previous model keeps serving", reason);
        Assert.Equal(FakeDaemonControl.GoodModel, server.Control.ActiveModel);
    }

    [Fact]
    public async Task Unknown_hud_element_is_400_and_a_missing_flag_too()
    {
        await using var server = await HttpTestServer.StartAsync();

        using var unknown = await server.Client.PostAsJsonAsync("/api/hud", new { element = "minimap", visible = false });
        using var noFlag = await server.Client.PostAsJsonAsync("/api/hud", new { element = "fps" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("minimap", await ReasonAsync(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, noFlag.StatusCode);
        Assert.Contains("visible", await ReasonAsync(noFlag));
        Assert.Empty(server.Control.Hud);
    }
}
