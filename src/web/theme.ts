import {
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';

// Light and outline variants use the darkest shades for text so every badge and light button keeps
// WCAG AA contrast on its tinted background.
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (parsed.isThemeColor && (input.variant === 'light' || input.variant === 'outline')) {
    const dark = `var(--mantine-color-${parsed.color}-9)`;
    return {
      ...colors,
      color: dark,
      border: input.variant === 'outline' ? `1px solid var(--mantine-color-${parsed.color}-7)` : colors.border,
    };
  }
  return colors;
};

export const theme = createTheme({
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
  },
});
