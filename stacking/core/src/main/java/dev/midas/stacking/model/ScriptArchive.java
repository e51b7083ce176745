package dev.midas.stacking.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The bytes of a TorchScript archive holding one parameterless module whose {@code forward} is
 * given as TorchScript source: exactly what {@code torch.jit.save} writes for such a module (a
 * stored zip of {@code data.pkl}, {@code code/__torch__.py}, {@code constants.pkl} and {@code
 * version} 3). libtorch compiles the source when it loads the archive, so no Python is involved.
 */
final class ScriptArchive {
  private ScriptArchive() {}

  /**
   * @param className a Python identifier, the module's class
   * @param forward the full {@code def forward(self: __torch__.X, ...) -> T:} method, indented by
   *     two spaces as a class member
   */
  static byte[] of(String className, String forward) {
    String code =
        "class "
            + className
            + "(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + forward;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
      put(zip, root + "data.pkl", modulePickle(className));
      put(zip, root + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
      put(zip, root + "constants.pkl", latin1("\u0080\u0002)."));
      put(zip, root + "version", latin1("3\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Pickle protocol 2 of {@code __torch__.<className>} with {@code training = True}: GLOBAL,
   * EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, BINUNICODE "training", NEWTRUE, SETITEM, BUILD, STOP.
   */
  private static byte[] modulePickle(String className) {
    return latin1(
        "\u0080\u0002c__torch__\n"
            + className
            + "\n)\u0081}X\u0008\u0000\u0000\u0000training\u0088sb.");
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Stored, not deflated: libtorch's reader expects aligned, uncompressed records. */
  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }
}
