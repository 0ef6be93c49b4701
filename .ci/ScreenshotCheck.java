import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Fails (exit 1) when a screenshot is blank: fewer than 2% of its pixels differ from white, or it
 * holds fewer than 16 distinct colours (text, table rules, chart palette). Run as a source file:
 * java .ci/ScreenshotCheck.java SHOT.png
 */
public class ScreenshotCheck {
  public static void main(String[] args) throws Exception {
    BufferedImage img = ImageIO.read(new File(args[0]));
    if (img == null) {
      System.err.println("ScreenshotCheck: " + args[0] + " is not an image");
      System.exit(1);
    }
    long inked = 0;
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        if (rgb != 0xffffff) {
          inked++;
        }
        if (colours.size() < 4096) {
          colours.add(rgb);
        }
      }
    }
    double share = (double) inked / ((long) img.getWidth() * img.getHeight());
    System.out.printf(java.util.Locale.ROOT, "ScreenshotCheck: %s %dx%d, %.1f%% non-white, %d colours%n", args[0], img.getWidth(), img.getHeight(),
        share * 100, colours.size());
    if (share < 0.02 || colours.size() < 16) {
      System.err.println("ScreenshotCheck: the screenshot is blank");
      System.exit(1);
    }
  }
}
