package dev.midas.cli;

import picocli.CommandLine;

/** {@code --version}: the jar's implementation version, or "development" when run from classes. */
public final class MidasVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Midas.class.getPackage().getImplementationVersion();
    return new String[] {"midas " + (v == null ? "0.1.0-SNAPSHOT (development)" : v)};
  }
}
