import { createBrowserRouter } from "react-router";
import { Layout } from "@/components/Layout";
import { NotFound } from "@/components/NotFound";
import { RouteError } from "@/components/RouteError";

/**
 * Every page is its own chunk (`lazy`), so the first screen ships only what it shows. To add a
 * page: a component in features/<name>/routes/, a line here, a link in components/nav.ts.
 */
export const router = createBrowserRouter([
  {
    path: "/",
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      {
        index: true,
        lazy: () => import("@/features/today/TodayPage").then((m) => ({ Component: m.TodayPage })),
      },
      {
        path: "journal",
        lazy: () => import("@/features/journal/JournalPage").then((m) => ({ Component: m.JournalPage })),
      },
      {
        path: "lessons/:lessonId",
        lazy: () => import("@/features/lessons/LessonPage").then((m) => ({ Component: m.LessonPage })),
      },
      {
        path: "class",
        lazy: () => import("@/features/class-teacher/ClassPage").then((m) => ({ Component: m.ClassPage })),
      },
      {
        path: "control",
        lazy: () => import("@/features/control/ControlPage").then((m) => ({ Component: m.ControlPage })),
      },
      {
        path: "reports",
        lazy: () => import("@/features/reports/ReportsPage").then((m) => ({ Component: m.ReportsPage })),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
