import { createTheme } from '@mantine/core';

/** One theme for light and dark. System Chinese fonts first, so that 宋体-only machines still look tidy. */
export const theme = createTheme({
  primaryColor: 'red',
  fontFamily:
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif',
  defaultRadius: 'sm',
});
