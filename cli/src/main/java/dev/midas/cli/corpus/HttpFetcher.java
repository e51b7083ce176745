package dev.midas.cli.corpus;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/** Fetches a tarball by a plain HTTP GET of its registry URL, for machines without npm. */
public final class HttpFetcher implements TarballFetcher {
  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  @Override
  public void fetch(PinnedTarball tarball, Path dest) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(tarball.url()).timeout(Duration.ofMinutes(10)).GET().build();
    HttpResponse<Path> response =
        client.send(
            request,
            HttpResponse.BodyHandlers.ofFile(
                dest,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    if (response.statusCode() != 200) {
      throw new IOException("GET " + tarball.url() + " answered HTTP " + response.statusCode());
    }
  }

  @Override
  public String describe(PinnedTarball tarball) {
    return "HTTP GET " + tarball.url();
  }
}
