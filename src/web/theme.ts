import {
  type CSSVariablesResolver,
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';

// Light, outline and subtle variants use the darkest shades for text so every badge and light button keeps
// WCAG AA contrast on its tinted background.
// Orange and yellow are too light even at shade 9 (3.9:1 on their own light tint): darker still.
const DARKEST: Record<string, string> = { orange: '#9c3d00', yellow: '#7a5300' };
/** The darkest shade of a theme colour, as text on its light tint or on white (WCAG AA). */
export const darkText = (color: string) => DARKEST[color] ?? `var(--mantine-color-${color}-9)`;

const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (parsed.isThemeColor && (input.variant === 'light' || input.variant === 'outline')) {
    const dark = darkText(parsed.color);
    return {
      ...colors,
      color: dark,
      background: input.variant === 'light' ? `var(--mantine-color-${parsed.color}-0)` : colors.background,
      hover: input.variant === 'light' ? `var(--mantine-color-${parsed.color}-1)` : colors.hover,
      border:
        input.variant === 'outline' ? `1px solid var(--mantine-color-${parsed.color}-7)` : colors.border,
    };
  }
  // Subtle buttons (text on the page's background): the same dark text.
  if (parsed.isThemeColor && input.variant === 'subtle')
    return {
      ...colors,
      color: darkText(parsed.color),
      hover: `var(--mantine-color-${parsed.color}-0)`,
    };
  // Filled buttons and badges: a darker shade so white text keeps 4.5:1 (red-7 does not).
  if (parsed.isThemeColor && parsed.shade === undefined && input.variant === 'filled') {
    const shade = parsed.color === input.theme.primaryColor ? 8 : 9;
    return {
      ...colors,
      background: `var(--mantine-color-${parsed.color}-${shade})`,
      hover: `var(--mantine-color-${parsed.color}-${shade === 8 ? 9 : 8})`,
      color: 'var(--mantine-color-white)',
    };
  }
  return colors;
};

export const theme = createTheme({
  // People who ask their system for less motion get dialogs and menus without animation.
  respectReducedMotion: true,
  primaryColor: 'indigo',
  primaryShade: 7,
  defaultRadius: 'sm',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '600' },
  fontSizes: { md: '0.9375rem' },
  focusRing: 'auto',
  variantColorResolver,
  components: {
    Anchor: { defaultProps: { underline: 'hover' } },
    Table: { defaultProps: { stickyHeader: false } },
    // A badge keeps its whole label: by default it may shrink to an ellipsis, which in a table's
    // narrow column left Swedish states as "Plan…" or "Rapporterad anvä…". Labels are written as they
    // are said (Mantine's default shouts them in capitals).
    Badge: { styles: { root: { minWidth: 'max-content' }, label: { textTransform: 'none' } } },
  },
});

/**
 * Dimmed text, placeholders and error text dark enough for 4.5:1 contrast on white and on gray-0 (an
 * input in error shows what was typed in the error colour: red-6 gives 3.3:1, red-9 5.6:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-8)',
    '--mantine-color-placeholder': '#6b7280',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
